package dev.switchboard.runtime;

import dev.switchboard.models.PiiAnonymizer;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The runtime's decisions, one JSON line per message, in {@code <logs>/decisions-<yyyy-MM-dd>.jsonl} (UTC
 * date): {@code {"ts","route","session","text","intent","confidence","out_of_scope","model","version",
 * "decision","escalated"}}. {@code text} goes through {@link PiiAnonymizer#standard()} before it is
 * written (e-mails, card numbers, IBANs, phone numbers become placeholders); {@code decision} is
 * {@code answered} or the escalation reason; the intent fields are null for a route without a classify
 * step. Written off the request path by a {@link JsonlAppender}; {@link #close} writes every pending line.
 * These logs are what {@code distill --from-logs} relabels and learns from.
 */
final class DecisionLog implements AutoCloseable {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final JsonlAppender out;

    DecisionLog(Path logsDir) {
        this.out = new JsonlAppender(logsDir, "decision-log");
    }

    static String fileFor(Instant ts) {
        return "decisions-" + DAY.format(ts) + ".jsonl";
    }

    /** Queues the line for one message (the text is anonymised on the writer thread). */
    void record(String route, String session, String text, TurnResult result) {
        Instant ts = Instant.now();
        out.append(fileFor(ts), () -> line(ts, route, session, text, result));
    }

    static Map<String, Object> line(Instant ts, String route, String session, String text, TurnResult r) {
        TraceStep classify = r.trace().stream().filter(t -> t.step().equals("classify")).findFirst().orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toString());
        m.put("route", route);
        m.put("session", session);
        m.put("text", PiiAnonymizer.standard().anonymize(text));
        m.put("intent", r.intent() == null ? null : r.intent().label());
        m.put("confidence", r.intent() == null ? null : r.intent().confidence());
        m.put("out_of_scope", classify == null ? null : classify.details().get("out_of_scope"));
        // The classify step names its model "<name> <version>" (AgentPipeline).
        String model = classify == null ? null : classify.model();
        int space = model == null ? -1 : model.lastIndexOf(' ');
        m.put("model", space < 0 ? model : model.substring(0, space));
        m.put("version", space < 0 ? null : model.substring(space + 1));
        m.put("decision", r.escalation() == null ? "answered" : r.escalation().reason());
        m.put("escalated", r.escalation() != null);
        return m;
    }

    @Override
    public void close() {
        out.close();
    }
}
