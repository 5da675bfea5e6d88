package io.plugboard.brand;

import io.plugboard.common.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Rebuilds an uploaded SVG from an allow-list: the shapes, gradients, clips and text a logo is drawn with, and their
 * geometry and paint attributes. Everything else is left out — scripts, event handlers, {@code foreignObject},
 * {@code image}, links, animation, {@code <style>} and {@code style=""} (CSS can load URLs), any reference that is
 * not to an element of the same file — and a DOCTYPE (entities, external DTDs) refuses the file. A copy built
 * from what is known to be safe cannot carry what a deny-list forgot.
 *
 * <p>Written here rather than taken from a library: the maintained SVG sanitisers are JavaScript (DOMPurify) or PHP;
 * Java's HTML sanitisers do not know SVG, and Batik renders SVG but does not clean it.
 */
public final class SvgSanitizer {

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    private static final int MAX_ELEMENTS = 5_000;
    private static final int MAX_DEPTH = 40;

    private static final Set<String> ELEMENTS = Set.of("svg", "g", "defs", "title", "desc", "path", "rect", "circle",
            "ellipse", "line", "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
            "clipPath", "mask", "symbol", "use");
    /** Elements whose {@code href} may point at another element of the same file. */
    private static final Set<String> MAY_REFERENCE = Set.of("use", "linearGradient", "radialGradient");
    private static final Set<String> ATTRIBUTES = Set.of("id", "class", "viewBox", "width", "height", "x", "y",
            "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d", "points", "transform", "dx", "dy",
            "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
            "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "stroke-opacity", "opacity", "clip-path",
            "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits", "offset", "stop-color",
            "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod", "preserveAspectRatio",
            "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
            "letter-spacing", "visibility", "display", "version", "role", "aria-label", "aria-hidden");
    private static final Pattern LOCAL_REFERENCE = Pattern.compile("#[A-Za-z_][\\w.-]{0,100}");
    private static final Pattern LOCAL_URL = Pattern.compile("\\s*url\\(\\s*#[A-Za-z_][\\w.-]{0,100}\\s*\\)\\s*");

    private SvgSanitizer() {
    }

    /** The sanitised SVG as UTF-8 bytes; refuses what is not a well-formed SVG document without a DOCTYPE. */
    public static byte[] sanitize(byte[] svg) {
        Document source = parse(svg);
        Element root = source.getDocumentElement();
        if (!isSvg(root) || !"svg".equals(root.getLocalName())) {
            throw new InvalidRequestException("The logo is XML but not an SVG image.");
        }
        try {
            Document clean = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            int[] budget = {MAX_ELEMENTS};
            clean.appendChild(copy(root, clean, 0, budget));
            return write(clean);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Element copy(Element from, Document into, int depth, int[] budget) {
        if (depth > MAX_DEPTH || --budget[0] < 0) {
            throw new InvalidRequestException("The SVG logo is too complex; simplify it or upload a PNG.");
        }
        String name = from.getLocalName();
        Element to = into.createElementNS(SVG_NS, name);
        NamedNodeMap attributes = from.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr attribute = (Attr) attributes.item(i);
            String value = attribute.getValue();
            if (isHref(attribute)) {
                if (MAY_REFERENCE.contains(name) && LOCAL_REFERENCE.matcher(value.strip()).matches()) {
                    to.setAttributeNS(null, "href", value.strip());
                }
            } else if (attribute.getNamespaceURI() == null && ATTRIBUTES.contains(attribute.getLocalName())
                    && safeValue(value)) {
                to.setAttributeNS(null, attribute.getLocalName(), value);
            }
        }
        for (Node child = from.getFirstChild(); child != null; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.ELEMENT_NODE -> {
                    Element element = (Element) child;
                    if (isSvg(element) && ELEMENTS.contains(element.getLocalName())) {
                        to.appendChild(copy(element, into, depth + 1, budget));
                    }
                }
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> to.appendChild(into.createTextNode(child.getNodeValue()));
                default -> {
                    // Comments and processing instructions are left out.
                }
            }
        }
        return to;
    }

    /** A paint or clip may name an element of this file ({@code url(#id)}), never anything outside it. */
    private static boolean safeValue(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.contains("url(")) {
            return LOCAL_URL.matcher(value).matches();
        }
        return !lower.contains("javascript:") && !lower.contains("data:") && value.length() <= 10_000;
    }

    private static boolean isHref(Attr attribute) {
        return "href".equals(attribute.getLocalName())
                && (attribute.getNamespaceURI() == null || XLINK_NS.equals(attribute.getNamespaceURI()));
    }

    /** SVG's namespace, or none: a logo saved without {@code xmlns} is still meant as SVG. */
    private static boolean isSvg(Element element) {
        return element.getNamespaceURI() == null || SVG_NS.equals(element.getNamespaceURI());
    }

    private static Document parse(byte[] svg) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new ByteArrayInputStream(svg));
        } catch (SAXException | IOException e) {
            throw new InvalidRequestException("The SVG logo is not well-formed XML, or declares a DOCTYPE.");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] write(Document document) {
        try {
            var factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            var out = new ByteArrayOutputStream();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
