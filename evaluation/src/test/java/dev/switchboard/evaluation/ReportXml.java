package dev.switchboard.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Reads an {@link HtmlReport} back with the JDK's XML parser (which fails on anything not well-formed). */
final class ReportXml {

    static final String XHTML = "http://www.w3.org/1999/xhtml";

    private ReportXml() {
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    /** The ids of the h2 headings, in order. */
    static List<String> sectionIds(Document doc) {
        List<String> ids = new ArrayList<>();
        NodeList h2 = doc.getElementsByTagNameNS(XHTML, "h2");
        for (int i = 0; i < h2.getLength(); i++) {
            ids.add(((Element) h2.item(i)).getAttribute("id"));
        }
        return ids;
    }

    /** The body rows of the table with this id, as cell texts. */
    static List<List<String>> rows(Document doc, String tableId) {
        NodeList tables = doc.getElementsByTagNameNS(XHTML, "table");
        for (int i = 0; i < tables.getLength(); i++) {
            Element t = (Element) tables.item(i);
            if (t.getAttribute("id").equals(tableId)) {
                Element body = (Element) t.getElementsByTagNameNS(XHTML, "tbody").item(0);
                NodeList trs = body.getElementsByTagNameNS(XHTML, "tr");
                List<List<String>> rows = new ArrayList<>();
                for (int r = 0; r < trs.getLength(); r++) {
                    NodeList tds = ((Element) trs.item(r)).getElementsByTagNameNS(XHTML, "td");
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < tds.getLength(); c++) {
                        cells.add(tds.item(c).getTextContent());
                    }
                    rows.add(cells);
                }
                return rows;
            }
        }
        throw new AssertionError("no table '" + tableId + "'");
    }

    static int count(Document doc, String svgElement) {
        return doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", svgElement).getLength();
    }

    /** The first element named {@code name} (any namespace) after the h2 with this id. */
    static Element following(Document doc, String sectionId, String name) {
        NodeList h2 = doc.getElementsByTagNameNS(XHTML, "h2");
        for (int i = 0; i < h2.getLength(); i++) {
            if (((Element) h2.item(i)).getAttribute("id").equals(sectionId)) {
                for (Node n = h2.item(i).getNextSibling(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && e.getLocalName().equals(name)) {
                        return e;
                    }
                }
            }
        }
        throw new AssertionError("no " + name + " after section '" + sectionId + "'");
    }
}
