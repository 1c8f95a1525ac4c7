package dev.switchboard.retrieval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDMarkInfo;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureTreeRoot;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFAbstractNum;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFNumbering;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTAbstractNum;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTLvl;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STNumberFormat;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Real document fixtures for the ingestion tests: DOCX written with Apache POI, PDF with PDFBox. */
final class FixtureFiles {

    static {
        // As TikaText does: PDFBox's font cache goes to the (project-local) temporary folder, not ~.
        System.getProperties().putIfAbsent("pdfbox.fontcache", System.getProperty("java.io.tmpdir"));
    }

    private FixtureFiles() {
    }

    /** The hand-written HTML help article in src/test/resources/files. */
    static byte[] html() {
        try {
            return Files.readAllBytes(Path.of(FixtureFiles.class.getResource("/files/lost-card.html").toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Word document: "Card limits" (Heading 1), a paragraph, "ATM withdrawals" (Heading 2), a
     * paragraph, a two-item bullet list, "Contactless" (Heading 3), a paragraph, a 2×2 table; core
     * property title "Limits (properties)".
     */
    static byte[] docx() {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XWPFStyles styles = doc.createStyles();
            for (int level = 1; level <= 3; level++) {
                styles.addStyle(paragraphStyle("Heading" + level, "heading " + level));
            }
            styles.addStyle(paragraphStyle("ListParagraph", "List Paragraph"));
            BigInteger bullets = bulletNumbering(doc.createNumbering());
            doc.getProperties().getCoreProperties().setTitle("Limits (properties)");

            styled(doc, "Heading1", "Card limits");
            doc.createParagraph().createRun().setText("Every card has daily limits for cash and payments.");
            styled(doc, "Heading2", "ATM withdrawals");
            doc.createParagraph().createRun().setText("You can withdraw up to 500 EUR a day from ATMs.");
            for (String item : List.of("Free up to 200 EUR a month", "2% above that")) {
                XWPFParagraph p = styled(doc, "ListParagraph", item);
                p.setNumID(bullets);
            }
            styled(doc, "Heading3", "Contactless");
            doc.createParagraph().createRun().setText("Contactless payments are limited to 50 EUR each.");
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("Plan");
            table.getRow(0).getCell(1).setText("Daily limit");
            table.getRow(1).getCell(0).setText("Metal");
            table.getRow(1).getCell(1).setText("3000 EUR");
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XWPFStyle paragraphStyle(String id, String name) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId(id);
        style.setType(STStyleType.PARAGRAPH);
        style.addNewName().setVal(name);
        return new XWPFStyle(style);
    }

    private static BigInteger bulletNumbering(XWPFNumbering numbering) {
        CTAbstractNum abstractNum = CTAbstractNum.Factory.newInstance();
        abstractNum.setAbstractNumId(BigInteger.ZERO);
        CTLvl level = abstractNum.addNewLvl();
        level.setIlvl(BigInteger.ZERO);
        level.addNewStart().setVal(BigInteger.ONE);
        level.addNewNumFmt().setVal(STNumberFormat.BULLET);
        level.addNewLvlText().setVal("\u2022");
        return numbering.addNum(numbering.addAbstractNum(new XWPFAbstractNum(abstractNum)));
    }

    private static XWPFParagraph styled(XWPFDocument doc, String styleId, String text) {
        XWPFParagraph p = doc.createParagraph();
        p.setStyle(styleId);
        p.createRun().setText(text);
        return p;
    }

    /** An untagged two-page PDF (no headings), document title "Travel notice". */
    static byte[] pdf() {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle("Travel notice");
            doc.setDocumentInformation(info);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            page(doc, font, List.of("You do not need to tell us before you travel.",
                    "Your card works in every country that accepts Mastercard."));
            page(doc, font, List.of("Cash withdrawals abroad cost 2% of the amount."));
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void page(PDDocument doc, PDType1Font font, List<String> lines) throws IOException {
        PDPage page = new PDPage();
        doc.addPage(page);
        try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
            float y = 700;
            for (String line : lines) {
                cs.beginText();
                cs.setFont(font, 12);
                cs.newLineAtOffset(72, y);
                cs.showText(line);
                cs.endText();
                y -= 40; // a gap wider than a line: a new paragraph
            }
        }
    }

    /** A tagged one-page PDF: H1 "Disputes", P, H2 "Chargebacks", P (structure tree with marked content). */
    static byte[] taggedPdf() {
        List<String[]> blocks = List.of(
                new String[] {"H1", "Disputes"},
                new String[] {"P", "You can dispute a card payment within 120 days."},
                new String[] {"H2", "Chargebacks"},
                new String[] {"P", "We ask the merchant's bank to return the money."});
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            PDStructureTreeRoot root = new PDStructureTreeRoot();
            doc.getDocumentCatalog().setStructureTreeRoot(root);
            PDMarkInfo markInfo = new PDMarkInfo();
            markInfo.setMarked(true);
            doc.getDocumentCatalog().setMarkInfo(markInfo);
            PDStructureElement document = new PDStructureElement("Document", root);
            root.appendKid(document);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                float y = 700;
                for (int mcid = 0; mcid < blocks.size(); mcid++) {
                    String type = blocks.get(mcid)[0];
                    COSDictionary properties = new COSDictionary();
                    properties.setInt(COSName.MCID, mcid);
                    cs.beginMarkedContent(COSName.getPDFName(type), PDPropertyList.create(properties));
                    cs.beginText();
                    cs.setFont(font, type.startsWith("H") ? 16 : 12);
                    cs.newLineAtOffset(72, y);
                    cs.showText(blocks.get(mcid)[1]);
                    cs.endText();
                    cs.endMarkedContent();
                    y -= 40;
                    PDStructureElement element = new PDStructureElement(type, document);
                    element.setPage(page);
                    element.getCOSObject().setInt(COSName.K, mcid);
                    document.appendKid(element);
                }
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
