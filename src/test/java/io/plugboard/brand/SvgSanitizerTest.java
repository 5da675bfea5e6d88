package io.plugboard.brand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.common.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile SVGs, from the tricks OWASP's XSS filter evasion cheat sheet and DOMPurify's SVG tests use: whatever they
 * carry, what comes out draws the same shapes and can run, load and link nothing.
 */
class SvgSanitizerTest {

    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">";

    private static String clean(String svg) {
        return new String(SvgSanitizer.sanitize(svg.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheDrawing() {
        String out = clean(SVG + "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#f00\"/>"
                + "</linearGradient></defs><title>Acme</title><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"url(#g)\"/>"
                + "<text x=\"1\" y=\"9\" font-size=\"3\">Acme</text><use href=\"#g\"/></svg>");
        assertThat(out).contains("<circle", "cx=\"5\"", "fill=\"url(#g)\"", "<linearGradient", "stop-color=\"#f00\"",
                ">Acme</text>", "<title>Acme</title>", "viewBox=\"0 0 10 10\"", "href=\"#g\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            SVG + "<script>alert(1)</script><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<script xlink:href=\"https://evil.example/x.js\"/><rect width=\"1\" height=\"1\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<rect width=\"1\" height=\"1\" onclick=\"alert(1)\" onmouseover=\"alert(2)\"/></svg>",
            SVG + "<foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"javascript:alert(1)\"/>"
                    + "</foreignObject><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<a xlink:href=\"javascript:alert(1)\"><circle r=\"1\"/></a><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<image href=\"https://evil.example/track.png\"/><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<use href=\"https://evil.example/sprite.svg#x\"/><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<use xlink:href=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+#x\"/>"
                    + "<rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/p) }</style>"
                    + "<rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<rect width=\"1\" height=\"1\" style=\"background:url(https://evil.example/t)\"/></svg>",
            SVG + "<rect width=\"1\" height=\"1\" fill=\"url(https://evil.example/t#p)\"/></svg>",
            SVG + "<animate attributeName=\"href\" to=\"javascript:alert(1)\"/><set attributeName=\"onload\" "
                    + "to=\"alert(1)\"/><rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<?xml-stylesheet href=\"https://evil.example/x.css\"?><!-- <script>alert(1)</script> -->"
                    + "<rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<html:script xmlns:html=\"http://www.w3.org/1999/xhtml\">alert(1)</html:script>"
                    + "<rect width=\"1\" height=\"1\"/></svg>",
            SVG + "<rect width=\"1\" height=\"1\" xml:base=\"https://evil.example/\" "
                    + "xmlns:ev=\"http://www.w3.org/2001/xml-events\" ev:event=\"click\"/></svg>",
    })
    void leavesNothingThatRunsLoadsOrLinks(String hostile) {
        String out = clean(hostile).toLowerCase(Locale.ROOT);
        assertThat(out).contains("<rect");
        assertThat(out).doesNotContain("script", "alert", "onload", "onclick", "onmouseover", "foreignobject",
                "iframe", "javascript:", "evil.example", "data:", "<style", "style=", "<a ", "<image", "<animate",
                "<set", "xml-stylesheet", "<!--", "xml:base", "ev:event");
    }

    @Test
    void refusesADoctypeSoNoEntityIsEverExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + SVG + "<text>&x;</text></svg>";
        assertThatThrownBy(() -> clean(xxe)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("DOCTYPE");
        String laughs = "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + SVG + "<text>&b;</text></svg>";
        assertThatThrownBy(() -> clean(laughs)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesXmlThatIsNotSvgAndBrokenXml() {
        assertThatThrownBy(() -> clean("<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not an SVG");
        assertThatThrownBy(() -> clean(SVG + "<rect>")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void refusesADrawingNestedBeyondReason() {
        String deep = SVG + "<g>".repeat(60) + "<rect width=\"1\" height=\"1\"/>" + "</g>".repeat(60) + "</svg>";
        assertThatThrownBy(() -> clean(deep)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("too complex");
    }
}
