package dev.switchboard.evaluation;

import dev.switchboard.distill.DataPreparation;
import dev.switchboard.distill.Distiller;
import dev.switchboard.distill.EncoderHeadTeacher;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.NgramClassifier;
import dev.switchboard.models.Prediction;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code bench distill}: the distillation table on a dataset's test split — teacher, encoder student,
 * tiny n-gram student and cascade, each with accuracy (with rejection when the data has {@code oos}:
 * in-scope accuracy counts a rejected in-scope text as wrong, OOS recall is the share of {@code oos}
 * texts rejected), the share of the teacher's accuracy kept, single-thread single-message latency p50 /
 * p99 / mean over {@code --latency} test texts (encoder included, after 20 warm-up calls), throughput
 * (messages/s through {@code classifyAll} in batches of 32 over the same texts, the encoder's default
 * threads) and bytes on disk; for the cascade also the share of test texts escalated. The models are the
 * ones given, or, when {@code --student} is absent, those a fresh {@link Distiller} run writes under
 * {@code --out} from {@code --teacher-model}. With out-of-scope data a second table gives each model's overall
 * accuracy and its in-scope accuracy at the teacher's OOS recall ({@link #matchedTable}).
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Teacher vs distilled students and cascade: accuracy, latency, throughput, size.")
final class DistillationBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset folder with a test split.")
    Path data;

    @Option(names = "--teacher-model", required = true, description = "The teacher's model folder (an intent classifier).")
    Path teacherModel;

    @Option(names = "--student", description = "Student folder (default: distill one now).")
    Path student;

    @Option(names = "--tiny", description = "Tiny student folder.")
    Path tiny;

    @Option(names = "--cascade", description = "Cascade folder.")
    Path cascade;

    @Option(names = "--out", defaultValue = ".cache/bench/distill", description = "Where a fresh run writes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--latency", defaultValue = "500", description = "Texts timed one by one (default: ${DEFAULT-VALUE}).")
    int latency;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of a fresh distillation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--oos-label", defaultValue = "oos", description = "Out-of-scope label (default: ${DEFAULT-VALUE}).")
    String oosLabel;

    /** One row of the table. */
    record Row(String model, double accuracy, double oosRecall, double overall, OutOfScopeSweep sweep,
            LatencyStats latency, double throughput, long bytes, double escalated) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (student == null) {
            try (var teacher = EncoderHeadTeacher.load(teacherModel)) {
                Distiller.Outcome o = new Distiller(Distiller.Options.defaults(seed), line -> {
                    err.println(line);
                    err.flush();
                }).run(data, teacher, List.of(), out, data.toAbsolutePath().normalize().getFileName().toString(), null, false);
                student = o.student();
                tiny = o.tiny().orElseThrow();
                cascade = o.cascade().orElseThrow();
            }
        }
        if (tiny == null || cascade == null) {
            throw new IllegalArgumentException("--student needs --tiny and --cascade too");
        }
        IntentDataset dataset = IntentDataset.load(data, 0.1, seed, DataPreparation.STANDARD);
        if (dataset.test().isEmpty()) {
            throw new IllegalArgumentException("dataset " + data + " has no test split");
        }
        List<String> texts = dataset.test().stream().map(IntentExample::text).toList();
        List<String> gold = dataset.test().stream().map(IntentExample::label).toList();
        List<String> timed = texts.subList(0, Math.min(latency, texts.size()));
        List<Row> rows = new ArrayList<>();
        String teacherEncoder = ModelManifest.read(teacherModel.resolve(IntentClassifier.MANIFEST_FILE)).encoder();
        try (Encoder encoder = ConcatEncoder.load(teacherEncoder)) {
            rows.add(measure("teacher " + name(teacherModel), IntentClassifier.load(teacherModel, encoder), teacherModel,
                    texts, gold, timed, err));
        }
        String studentEncoder = ModelManifest.read(student.resolve(IntentClassifier.MANIFEST_FILE)).encoder();
        try (Encoder encoder = ConcatEncoder.load(studentEncoder)) {
            rows.add(measure("student " + name(student), IntentClassifier.load(student, encoder), student, texts, gold,
                    timed, err));
            rows.add(measure("tiny " + name(tiny), NgramClassifier.load(tiny), tiny, texts, gold, timed, err));
            rows.add(measure("cascade " + name(cascade), CascadeClassifier.load(cascade, encoder), cascade, texts, gold,
                    timed, err));
        }
        stdout.print(table(rows, dataset.test().stream().anyMatch(e -> e.label().equals(oosLabel))));
        stdout.flush();
        return 0;
    }

    private Row measure(String label, Classifier classifier, Path dir, List<String> texts, List<String> gold,
            List<String> timed, PrintWriter err) {
        err.println("measuring " + label + " ...");
        err.flush();
        // An encoder model's embeddings are computed once, for its predictions and its rejection scores.
        float[][] embeddings = null;
        List<CascadeClassifier.Decision> decisions = null;
        List<Prediction> predictions;
        if (classifier instanceof IntentClassifier c) {
            embeddings = c.encoder().embed(texts);
            predictions = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                predictions.add(c.classify(texts.get(i), embeddings[i]));
            }
        } else if (classifier instanceof CascadeClassifier c) {
            decisions = c.decideAll(texts);
            predictions = decisions.stream().map(CascadeClassifier.Decision::prediction).toList();
        } else {
            predictions = classifier.classifyAll(texts);
        }
        OutOfScopeSweep sweep = OutOfScopeSweep.of(classifier, texts, predictions, gold, oosLabel, embeddings, decisions);
        double escalated = classifier instanceof CascadeClassifier c
                ? (double) c.escalatedCount() / c.classifiedCount() : Double.NaN;
        int inScope = 0;
        int inScopeRight = 0;
        int oos = 0;
        int oosRejected = 0;
        for (int i = 0; i < texts.size(); i++) {
            boolean right = Distiller.correct(predictions.get(i), gold.get(i), oosLabel);
            if (gold.get(i).equals(oosLabel)) {
                oos++;
                oosRejected += right ? 1 : 0;
            } else {
                inScope++;
                inScopeRight += right ? 1 : 0;
            }
        }
        LatencyStats latency = SingleThreadLatency.run(timed, classifier::classify).stats(0);
        long t = System.nanoTime();
        for (int from = 0; from < timed.size(); from += 32) {
            classifier.classifyAll(timed.subList(from, Math.min(timed.size(), from + 32)));
        }
        double throughput = timed.size() / ((System.nanoTime() - t) / 1e9);
        return new Row(label, (double) inScopeRight / inScope, oos == 0 ? Double.NaN : (double) oosRejected / oos,
                (double) (inScopeRight + oosRejected) / texts.size(), sweep, latency, throughput,
                BenchIndex.sizeOnDisk(dir), escalated);
    }

    static String table(List<Row> rows, boolean withOos) {
        Row teacher = rows.get(0);
        StringBuilder s = new StringBuilder();
        s.append("| model | ").append(withOos ? "in-scope acc | OOS recall" : "accuracy")
                .append(" | % of teacher | p50 ms | p99 ms | mean ms | mean speed-up | msg/s | bytes | escalated |\n");
        s.append("|---|---|").append(withOos ? "---|" : "").append("---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %.4f | %s%.2f%% | %.3f | %.3f | %.3f | %.1fx | %.0f | %,d | %s |%n",
                    r.model(), r.accuracy(), withOos ? String.format(Locale.ROOT, "%.4f | ", r.oosRecall()) : "",
                    100 * r.accuracy() / teacher.accuracy(), r.latency().p50Ms(), r.latency().p99Ms(), r.latency().meanMs(),
                    teacher.latency().meanMs() / r.latency().meanMs(), r.throughput(), r.bytes(),
                    Double.isNaN(r.escalated()) ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * r.escalated())));
        }
        if (withOos) {
            s.append(matchedTable(rows));
        }
        return s.toString();
    }

    /**
     * The second table on data with out-of-scope examples: overall accuracy ({@code oos} counted as a class)
     * and in-scope accuracy at a matched operating point — every model's rejection threshold moved, on
     * this test split, to the lowest value at which it rejects at least the teacher's share of
     * {@code oos} texts ({@link OutOfScopeSweep}). The deployed rules were chosen on validation; this
     * row compares the models' trade-offs at equal OOS recall, as "accuracy at a fixed recall" does for
     * out-of-scope detectors, and is an analysis, not a deployable setting.
     */
    static String matchedTable(List<Row> rows) {
        Row teacher = rows.get(0);
        double target = teacher.oosRecall();
        double teacherMatched = teacher.sweep().inScopeAccuracyAtRecall(target);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n| model | overall acc | %% of teacher | in-scope acc at OOS recall >= %.4f "
                + "(threshold on test) | OOS recall there | %% of teacher |%n|---|---|---|---|---|---|%n", target));
        for (Row r : rows) {
            double matched = r.sweep().inScopeAccuracyAtRecall(target);
            s.append(String.format(Locale.ROOT, "| %s | %.4f | %.2f%% | %.4f | %.4f | %.2f%% |%n", r.model(), r.overall(),
                    100 * r.overall() / teacher.overall(), matched, r.sweep().recallAtRecall(target),
                    100 * matched / teacherMatched));
        }
        return s.toString();
    }

    private static String name(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.getParent().getFileName() + "/" + abs.getFileName();
    }
}
