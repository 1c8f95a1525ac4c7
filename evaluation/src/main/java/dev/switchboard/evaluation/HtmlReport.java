package dev.switchboard.evaluation;

import dev.switchboard.models.ModelManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained evaluation report: one XHTML file (parseable as XML) with inline CSS and SVG, no
 * network resource and no script library; a few lines of plain JavaScript make tables of class
 * {@code sortable} sort by the clicked column. Sections are appended in order; {@link #write} saves it.
 */
final class HtmlReport {

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
            h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-top:.6em}
            table{border-collapse:collapse;margin:.5em 0;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 8px}
            th{background:#f0f0f0;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
            table.sortable th{cursor:pointer}table.kv th{width:14em}.scroll{max-height:480px;overflow-y:auto;display:inline-block}
            p.note{color:#555;font-size:.85em;max-width:60em}svg{display:block;margin:.5em 0}
            """;

    // Wrapped in CDATA so that the script stays well-formed XML.
    private static final String SORT_SCRIPT = """
            //<![CDATA[
            document.querySelectorAll('table.sortable th').forEach(function (th, _) {
              th.addEventListener('click', function () {
                var table = th.closest('table'), body = table.tBodies[0], col = th.cellIndex;
                var asc = th.dataset.dir !== 'asc'; th.dataset.dir = asc ? 'asc' : 'desc';
                var rows = Array.from(body.rows);
                rows.sort(function (a, b) {
                  var x = a.cells[col].textContent, y = b.cells[col].textContent;
                  var nx = parseFloat(x), ny = parseFloat(y);
                  var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
                  return asc ? c : -c;
                });
                rows.forEach(function (r) { body.appendChild(r); });
              });
            });
            //]]>
            """;

    private final String title;
    private final Xhtml body = new Xhtml();

    HtmlReport(String title) {
        this.title = title;
        body.element("h1", title);
    }

    /**
     * The header: model and manifest summary, data, split, date, machine and command line.
     *
     * @param commandLine the command as typed (arguments joined by spaces)
     */
    HtmlReport header(Path model, ModelManifest m, Path data, String split, String commandLine) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("model", model + " (" + m.name() + " " + m.version() + ", " + m.kind() + ", " + m.labels().size() + " labels)");
        rows.put("encoder", m.encoder());
        rows.put("seed", String.valueOf(m.seed()));
        rows.put("training data", m.dataset().path() + " (sha256 " + m.dataset().sha256() + "; train " + m.dataset().trainCount()
                + ", validation " + m.dataset().validationCount() + ", test " + m.dataset().testCount() + ")");
        rows.put("teacher", m.teacher() == null ? "none" : m.teacher());
        rows.put("parent version", m.parentVersion() == null ? "none" : m.parentVersion());
        rows.put("code version", m.codeVersion());
        rows.put("created", m.created().toString());
        if (m.rejection() != null) {
            rows.put("out-of-scope rule", String.format(Locale.ROOT, "%s < %.4f%s (%s)", m.rejection().score(),
                    m.rejection().threshold(), m.rejection().outOfScopeLabel() == null ? ""
                            : " or top label '" + m.rejection().outOfScopeLabel() + "'", m.rejection().criterion()));
        }
        rows.put("evaluated on", data + ", split " + split);
        rows.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        rows.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + (load >= 0 ? String.format(Locale.ROOT, ", load average %.2f", load) : ""));
        rows.put("command", commandLine);
        return section("header", "Run").keyValues(rows);
    }

    /** {@code <h2 id=...>heading</h2>}. */
    HtmlReport section(String id, String heading) {
        body.element("h2", heading, "id", id);
        return this;
    }

    HtmlReport note(String text) {
        body.element("p", text, "class", "note");
        return this;
    }

    /** A two-column table of names and values. */
    HtmlReport keyValues(Map<String, String> rows) {
        body.open("table", "class", "kv").open("tbody");
        rows.forEach((k, v) -> body.open("tr").element("th", k).element("td", v).close("tr"));
        body.close("tbody").close("table");
        return this;
    }

    /**
     * A table; {@code Double} cells print with four decimals, numbers align right. Sortable tables sort by
     * the clicked column (numerically where both cells are numbers).
     */
    HtmlReport table(String id, List<String> headers, List<List<Object>> rows, boolean sortable) {
        body.open("div", "class", rows.size() > 25 ? "scroll" : "plain")
                .open("table", "id", id, "class", sortable ? "sortable" : "plain").open("thead");
        body.row(true, headers.toArray());
        body.close("thead").open("tbody");
        rows.forEach(r -> body.row(false, r.toArray()));
        body.close("tbody").close("table").close("div");
        return this;
    }

    /** Inline SVG from {@link Svg}. */
    HtmlReport svg(String svg) {
        body.raw(svg);
        return this;
    }

    /** The whole document. */
    String toXhtml() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                + new Xhtml().open("html", "xmlns", "http://www.w3.org/1999/xhtml", "lang", "en").open("head")
                        .empty("meta", "charset", "utf-8").element("title", title).element("style", CSS).close("head")
                + "<body>\n" + body + "<script>" + SORT_SCRIPT + "</script>\n</body>\n</html>\n";
    }

    /** Writes the document, creating the parent folders. */
    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toXhtml());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
    }
}
