package io.plugboard.dashboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.dashboard.ui.ChartData.Row;
import io.plugboard.dashboard.ui.ChartData.Series;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The SVG is well-formed XML whatever the names say, carries its accessible name, and draws what it is given. */
class SvgChartsTest {

    /** A tenant custom connector may be called anything. */
    private static final String HOSTILE = "<script>alert('x')</script> & \"Co\" </text><image href=x onerror=alert(1)>\u0007";

    @Test
    void namesFromTenantsAreTextNeverMarkup() throws Exception {
        var data = new ChartData("chart-\"id", "Credentials <b>per</b> connector", "Most with " + HOSTILE,
                List.of(new Series("Active " + HOSTILE, "#2f5bd3\" onload=\"alert(1)")),
                List.of(new Row(HOSTILE, null, new long[] {3}), new Row("Plain", null, new long[] {1})));

        for (String svg : List.of(SvgCharts.horizontalBars(data, SvgCharts.HALF), SvgCharts.columns(data, SvgCharts.WIDE, 240))) {
            assertThat(svg).doesNotContain("<script", "<image", "<b>", "\" onload=");
            Document doc = parse(svg);
            Element root = doc.getDocumentElement();
            assertThat(root.getTagName()).isEqualTo("svg");
            assertThat(elements(doc, "//*[local-name()='script' or local-name()='image' or local-name()='b']")
                    .getLength()).isZero();
            assertThat(root.getAttribute("role")).isEqualTo("img");
            String[] labelledBy = root.getAttribute("aria-labelledby").split(" ");
            assertThat(text(doc, "//*[@id='" + labelledBy[0] + "']")).isEqualTo("Credentials <b>per</b> connector");
            assertThat(text(doc, "//*[@id='" + labelledBy[1] + "']"))
                    .isEqualTo("Most with " + HOSTILE.replace("\u0007", ""));
            assertThat(svg).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;");
        }
        // The full name is in the bar's tooltip; the axis label is shortened.
        Document bars = parse(SvgCharts.horizontalBars(data, SvgCharts.HALF));
        assertThat(text(bars, "(//*[local-name()='g']/*[local-name()='title'])[1]"))
                .startsWith(HOSTILE.replace("\u0007", "") + ": 3");
    }

    @Test
    void barsAreAsLongAsTheirValuesAndStackedInSeriesOrder() throws Exception {
        var data = new ChartData("c", "t", "d", List.of(new Series("A", "#111111"), new Series("B", "#222222")),
                List.of(new Row("big", null, new long[] {60, 40}), new Row("small", null, new long[] {25, 0})));
        Document doc = parse(SvgCharts.horizontalBars(data, SvgCharts.HALF));
        NodeList rects = elements(doc, "//*[local-name()='g']/*[local-name()='rect']");
        assertThat(rects.getLength()).as("no rectangle for a zero").isEqualTo(3);
        double a = width(rects, 0);
        double b = width(rects, 1);
        double c = width(rects, 2);
        assertThat(a / (a + b)).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.001));
        assertThat(c / (a + b)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.001));
        assertThat(Double.parseDouble(((Element) rects.item(1)).getAttribute("x")))
                .as("B starts where A ends").isCloseTo(Double.parseDouble(((Element) rects.item(0)).getAttribute("x")) + a,
                        org.assertj.core.data.Offset.offset(0.02));
    }

    @Test
    void columnsShareOneNiceScaleAndOnlyTickedColumnsAreLabelled() throws Exception {
        var rows = List.of(new Row("Mon 00:00", "Mon 1", new long[] {10, 3}), new Row("Mon 01:00", null, new long[] {0, 0}),
                new Row("Mon 02:00", null, new long[] {37, 0}));
        var data = new ChartData("calls", "Calls", "d", List.of(new Series("ok", "#111111"), new Series("bad", "#222222")),
                rows);
        Document doc = parse(SvgCharts.columns(data, SvgCharts.WIDE, 240));
        assertThat(elements(doc, "//*[local-name()='g']").getLength()).as("no group for an empty hour").isEqualTo(2);
        assertThat(text(doc, "(//*[local-name()='g']/*[local-name()='title'])[1]"))
                .isEqualTo("Mon 00:00: 13 (ok 10, bad 3)");
        var labels = elements(doc, "/*/*[local-name()='text']");
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < labels.getLength(); i++) {
            texts.add(labels.item(i).getTextContent());
        }
        assertThat(texts).contains("0", "10", "20", "30", "40", "Mon 1").doesNotContain("Mon 01:00", "Mon 02:00");
    }

    @Test
    void nicerStepsForTheValueAxis() {
        assertThat(SvgCharts.niceStep(0)).isEqualTo(1);
        assertThat(SvgCharts.niceStep(4)).isEqualTo(1);
        assertThat(SvgCharts.niceStep(5)).isEqualTo(2);
        assertThat(SvgCharts.niceStep(37)).isEqualTo(10);
        assertThat(SvgCharts.niceStep(41)).isEqualTo(20);
        assertThat(SvgCharts.niceStep(1_000)).isEqualTo(250);
        assertThat(SvgCharts.niceStep(1_234_567)).isEqualTo(500_000);
    }

    @Test
    void escapingCoversTheFiveMarkupCharactersAndDropsControlCharacters() {
        assertThat(MarkupBuilder.escape("a&b<c>d\"e'f\u0000g\u001Fh\ti")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;fgh\ti");
        assertThat(MarkupBuilder.escape("Zürich 東京 🚀")).isEqualTo("Zürich 東京 🚀");
        assertThat(MarkupBuilder.number(12.0)).isEqualTo("12");
        assertThat(MarkupBuilder.number(3.14159)).isEqualTo("3.14");
        assertThat(MarkupBuilder.number(-0.001)).isEqualTo("0");
    }

    private static Document parse(String svg) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static NodeList elements(Document doc, String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    }

    private static String text(Document doc, String xpath) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(xpath, doc);
    }

    private static double width(NodeList rects, int i) {
        return Double.parseDouble(((Element) rects.item(i)).getAttribute("width"));
    }
}
