package dev.switchboard.evaluation;

import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for {@link HtmlReport}: no script, no external resource; every mark carries a
 * {@code <title>} tooltip with its exact numbers.
 */
final class Svg {

    private static final String NS = "http://www.w3.org/2000/svg";
    private static final String FONT = "font-family:sans-serif;font-size:10px";

    /** A named point of {@link #scatterLogX}. */
    record Point(String label, double x, double y) {
    }

    private Svg() {
    }

    /** Horizontal bars of values in [0, 1], one per label, in the given order. */
    static String bars(List<String> labels, List<Double> values, String valueName) {
        int rowHeight = labels.size() > 60 ? 11 : 16;
        int labelWidth = 230;
        int barWidth = 440;
        int height = labels.size() * rowHeight + 30;
        Xhtml x = svg(labelWidth + barWidth + 60, height, valueName + " per label");
        for (double t = 0; t <= 1.0001; t += 0.25) {
            double gx = labelWidth + t * barWidth;
            line(x, gx, 0, gx, height - 20, "#ddd");
            text(x, gx, height - 6, String.format(Locale.ROOT, "%.2f", t), "middle");
        }
        for (int i = 0; i < labels.size(); i++) {
            double y = i * rowHeight;
            double v = values.get(i);
            text(x, labelWidth - 4, y + rowHeight - 3, labels.get(i), "end");
            x.open("rect", "x", f(labelWidth), "y", f(y + 1), "width", f(Math.max(0.5, v * barWidth)), "height",
                    f(rowHeight - 2), "fill", v < 0.5 ? "#d9534f" : v < 0.8 ? "#f0ad4e" : "#4a7bd0")
                    .element("title", labels.get(i) + ": " + valueName + " " + Xhtml.num(v)).close("rect");
            text(x, labelWidth + v * barWidth + 3, y + rowHeight - 3, Xhtml.num(v), "start");
        }
        return x.close("svg").toString();
    }

    /**
     * A heat map of counts; a cell's shade is {@code share} (its count over its row's total). Diagonal
     * cells ({@code rows[i] == cols[j]}) are blue, the others red; zero cells are not drawn.
     */
    static String heatMap(List<String> rows, List<String> cols, int[][] counts, String rowName, String colName) {
        int cell = Math.max(3, Math.min(36, 760 / Math.max(rows.size(), cols.size())));
        boolean names = cell >= 8;
        int font = Math.min(10, cell - 1);
        // Room for the longest name (about 0.6 em per character); column names are rotated by 60 degrees.
        int longest = java.util.stream.Stream.concat(rows.stream(), cols.stream()).mapToInt(String::length).max().orElse(1);
        int left = names ? (int) Math.min(320, 12 + 0.6 * font * longest) : 10;
        int top = names ? (int) Math.min(280, 12 + 0.6 * font * longest * Math.sin(Math.PI / 3)) : 10;
        int width = left + cell * cols.size() + 40;
        int height = top + cell * rows.size() + 10;
        Xhtml x = svg(width, height, rowName + " × " + colName);
        x.empty("rect", "x", f(left), "y", f(top), "width", f(cell * cols.size()), "height", f(cell * rows.size()),
                "fill", "#f7f7f7", "stroke", "#ccc");
        String style = "font-family:sans-serif;font-size:" + font + "px";
        if (names) {
            for (int i = 0; i < rows.size(); i++) {
                x.element("text", rows.get(i), "x", f(left - 4), "y", f(top + i * cell + (cell + font) / 2.0 - 1), "style", style,
                        "text-anchor", "end");
            }
            for (int j = 0; j < cols.size(); j++) {
                double cx = left + j * cell + (cell + font) / 2.0 - 1;
                x.element("text", cols.get(j), "x", f(cx), "y", f(top - 4), "style", style, "text-anchor", "start",
                        "transform", "rotate(-60 " + f(cx) + " " + f(top - 4) + ")");
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            long total = 0;
            for (int c : counts[i]) {
                total += c;
            }
            for (int j = 0; j < cols.size(); j++) {
                if (counts[i][j] == 0) {
                    continue;
                }
                double share = (double) counts[i][j] / total;
                boolean diagonal = rows.get(i).equals(cols.get(j));
                // sqrt: a confusion of a few percent must still be visible next to a 95 % diagonal.
                x.open("rect", "x", f(left + j * cell), "y", f(top + i * cell), "width", f(cell), "height", f(cell),
                        "fill", diagonal ? "#2c5fb3" : "#c9302c", "fill-opacity", f(0.15 + 0.85 * Math.sqrt(share)))
                        .element("title", rowName + " " + rows.get(i) + " → " + colName + " " + cols.get(j) + ": "
                                + counts[i][j] + String.format(Locale.ROOT, " (%.1f %% of the row)", 100 * share))
                        .close("rect");
                if (cell >= 24) {
                    x.element("text", String.valueOf(counts[i][j]), "x", f(left + j * cell + cell / 2.0),
                            "y", f(top + i * cell + cell / 2.0 + 3), "style", FONT, "text-anchor", "middle",
                            "fill", share > 0.5 ? "#fff" : "#000");
                }
            }
        }
        return x.close("svg").toString();
    }

    /** Accuracy against confidence per bin (bars), the diagonal of perfect calibration, and the counts below. */
    static String reliability(ReliabilityBins r) {
        int left = 50;
        int top = 10;
        int size = 320;
        int histogram = 70;
        Xhtml x = svg(left + size + 20, top + size + histogram + 55, "reliability diagram");
        x.empty("rect", "x", f(left), "y", f(top), "width", f(size), "height", f(size), "fill", "#fafafa", "stroke", "#999");
        for (double t = 0; t <= 1.0001; t += 0.2) {
            String label = String.format(Locale.ROOT, "%.1f", t);
            text(x, left + t * size, top + size + 12, label, "middle");
            text(x, left - 4, top + size - t * size + 3, label, "end");
        }
        int max = r.bins().stream().mapToInt(ReliabilityBins.Bin::count).max().orElse(1);
        for (ReliabilityBins.Bin b : r.bins()) {
            if (b.count() == 0) {
                continue;
            }
            double bx = left + b.lower() * size;
            double w = (b.upper() - b.lower()) * size;
            String tip = String.format(Locale.ROOT, "confidence (%.3f, %.3f]: %d predictions, accuracy %.4f, mean confidence %.4f",
                    b.lower(), b.upper(), b.count(), b.accuracy(), b.meanConfidence());
            x.open("rect", "x", f(bx), "y", f(top + size - b.accuracy() * size), "width", f(w), "height",
                    f(b.accuracy() * size), "fill", "#4a7bd0", "stroke", "#fff").element("title", tip).close("rect");
            double confY = top + size - b.meanConfidence() * size;
            x.empty("line", "x1", f(bx + 1), "y1", f(confY), "x2", f(bx + w - 1), "y2", f(confY), "stroke", "#c9302c",
                    "stroke-width", "2.5");
            // Log scale: the top bin usually holds most predictions and would flatten the others.
            double h = Math.log1p(b.count()) / Math.log1p(max) * histogram;
            x.open("rect", "x", f(bx), "y", f(top + size + 20 + histogram - h), "width", f(w), "height", f(h), "fill", "#888",
                    "stroke", "#fff").element("title", tip).close("rect");
        }
        line(x, left, top + size, left + size, top, "#333");
        text(x, left + size / 2.0, top + size + histogram + 34, "confidence: blue bar = accuracy, red tick = mean confidence,",
                "middle");
        text(x, left + size / 2.0, top + size + histogram + 47, "grey = predictions per bin (log scale)", "middle");
        return x.close("svg").toString();
    }

    /** Points with a logarithmic x axis (e.g. latency) and a linear y axis (e.g. accuracy). */
    static String scatterLogX(List<Point> points, String xName, String yName) {
        int left = 60;
        int top = 20;
        int w = 520;
        int h = 300;
        double minX = points.stream().mapToDouble(Point::x).min().orElse(1);
        double maxX = points.stream().mapToDouble(Point::x).max().orElse(1);
        double lo = Math.floor(Math.log10(Math.max(minX, 1e-6)));
        double hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(maxX, 1e-6))));
        double minY = Math.max(0, points.stream().mapToDouble(Point::y).min().orElse(0) - 0.02);
        double maxY = Math.min(1, points.stream().mapToDouble(Point::y).max().orElse(1) + 0.02);
        if (maxY - minY < 0.01) {
            minY = Math.max(0, maxY - 0.05);
        }
        Xhtml x = svg(left + w + 140, top + h + 50, yName + " against " + xName);
        x.empty("rect", "x", f(left), "y", f(top), "width", f(w), "height", f(h), "fill", "#fafafa", "stroke", "#999");
        for (double d = lo; d <= hi; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                double px = left + (Math.log10(v) - lo) / (hi - lo) * w;
                if (px > left + w + 0.5) {
                    break;
                }
                line(x, px, top, px, top + h, m == 1 ? "#ccc" : "#eee");
                text(x, px, top + h + 12, trim(v), "middle");
            }
        }
        for (int i = 0; i <= 4; i++) {
            double v = minY + (maxY - minY) * i / 4;
            double py = top + h - (double) i / 4 * h;
            line(x, left, py, left + w, py, "#eee");
            text(x, left - 4, py + 3, String.format(Locale.ROOT, "%.3f", v), "end");
        }
        for (Point p : points) {
            double px = left + (Math.log10(Math.max(p.x(), 1e-6)) - lo) / (hi - lo) * w;
            double py = top + h - (p.y() - minY) / (maxY - minY) * h;
            x.open("circle", "cx", f(px), "cy", f(py), "r", "5", "fill", "#2c5fb3")
                    .element("title", String.format(Locale.ROOT, "%s: %s %.3f, %s %.4f", p.label(), xName, p.x(), yName, p.y()))
                    .close("circle");
            text(x, px + 8, py + 3, p.label(), "start");
        }
        text(x, left + w / 2.0, top + h + 32, xName + " (log scale)", "middle");
        x.element("text", yName, "x", "12", "y", f(top + h / 2.0), "style", FONT, "text-anchor", "middle",
                "transform", "rotate(-90 12 " + f(top + h / 2.0) + ")");
        return x.close("svg").toString();
    }

    private static Xhtml svg(int width, int height, String label) {
        return new Xhtml().open("svg", "xmlns", NS, "width", String.valueOf(width), "height", String.valueOf(height),
                "viewBox", "0 0 " + width + " " + height, "role", "img", "aria-label", label);
    }

    private static void line(Xhtml x, double x1, double y1, double x2, double y2, String stroke) {
        x.empty("line", "x1", f(x1), "y1", f(y1), "x2", f(x2), "y2", f(y2), "stroke", stroke);
    }

    private static void text(Xhtml x, double px, double py, String text, String anchor) {
        x.element("text", text, "x", f(px), "y", f(py), "style", FONT, "text-anchor", anchor);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String trim(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
