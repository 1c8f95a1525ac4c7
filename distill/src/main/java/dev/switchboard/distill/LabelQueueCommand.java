package dev.switchboard.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.PiiAnonymizer;
import dev.switchboard.models.Prediction;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code label-queue}: ranks unlabelled or logged messages for a person to label ({@link LabelQueue}:
 * margin uncertainty + MMR diversity). Texts are anonymized ({@link PiiAnonymizer#standard()}) before
 * anything else, so the queue on disk holds no personal data. Prints a table on stdout and, with
 * {@code --out}, writes JSONL lines {@code {"text","predicted","confidence","uncertainty","score","label":null}}:
 * fill in {@code "label"} and the file is training data.
 */
@Command(name = "label-queue", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ranks messages for labelling by the model's uncertainty and their diversity.")
final class LabelQueueCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Intent model version folder (manifest.json, head.safetensors).")
    Path model;

    @Option(names = "--input", required = true, description = "JSONL of {\"text\"} lines, or a runtime decision log "
            + "(data/logs/decisions-*.jsonl: the \"text\" or \"message\" field of each line).")
    Path input;

    @Option(names = "--top", defaultValue = "50", description = "Messages in the queue (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--lambda", defaultValue = "" + LabelQueue.DEFAULT_LAMBDA,
            description = "MMR weight of uncertainty against similarity to messages already queued, in [0, 1] (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--out", description = "Write the queue here as JSONL with an empty \"label\" to fill.")
    Path out;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(input)) {
            throw new IllegalArgumentException("--input " + input + " does not exist");
        }
        if (!Files.isRegularFile(model.resolve(IntentClassifier.MANIFEST_FILE))) {
            throw new IllegalArgumentException("--model " + model + " has no " + IntentClassifier.MANIFEST_FILE);
        }
        PiiAnonymizer pii = PiiAnonymizer.standard();
        List<String> texts = readTexts(input).stream().map(pii::anonymize).toList();
        PrintWriter err = spec.commandLine().getErr();
        List<LabelQueue.Item> queue;
        ModelManifest manifest = ModelManifest.read(model.resolve(IntentClassifier.MANIFEST_FILE));
        try (Encoder encoder = ConcatEncoder.load(manifest.encoder())) {
            IntentClassifier classifier = IntentClassifier.load(model, encoder);
            float[][] embeddings = encoder.embed(texts);
            List<Prediction> predictions = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                predictions.add(classifier.classify(texts.get(i), embeddings[i]));
            }
            queue = LabelQueue.rank(texts, embeddings, predictions, top, lambda);
        }
        err.printf(Locale.ROOT, "%d messages read, %d queued (model %s/%s, margin uncertainty, MMR lambda %.2f)%n", texts.size(),
                queue.size(), manifest.name(), manifest.version(), lambda);
        err.flush();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%4s  %6s  %6s  %-28s  %s%n", "rank", "score", "uncert", "predicted", "text");
        for (int r = 0; r < queue.size(); r++) {
            LabelQueue.Item item = queue.get(r);
            stdout.printf(Locale.ROOT, "%4d  %6.3f  %6.3f  %-28s  %s%n", r + 1, item.score(), item.uncertainty(),
                    item.predicted(), item.text());
        }
        stdout.flush();
        if (out != null) {
            write(queue);
        }
        return 0;
    }

    /** The texts of the input: each line's {@code "text"}, else its {@code "message"}. */
    static List<String> readTexts(Path file) {
        return JsonlReader.read(file, (node, line) -> {
            if (node.has("text") || !node.has("message")) {
                return JsonlReader.text(node, "text");
            }
            return JsonlReader.text(node, "message");
        });
    }

    private void write(List<LabelQueue.Item> queue) {
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (LabelQueue.Item item : queue) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("text", item.text());
                    line.put("predicted", item.predicted());
                    line.put("confidence", round(item.confidence()));
                    line.put("uncertainty", round(item.uncertainty()));
                    line.put("score", round(item.score()));
                    line.putNull("label");
                    w.write(JSON.writeValueAsString(line));
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        spec.commandLine().getErr().println("wrote " + out);
        spec.commandLine().getErr().flush();
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
