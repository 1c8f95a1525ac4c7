package dev.switchboard.distill;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.switchboard.models.ResidualAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link ResidualAdapter} {@code h' = normalise(h + B·A·h)} on frozen embeddings,
 * contrastively (SetFit-style: same-label pairs pulled together, different-label pairs pushed apart),
 * with Adam on DJL's PyTorch engine. {@code A} starts Xavier-uniform, {@code B} at zero (the identity).
 *
 * <p>Loss ({@link AdapterOptions#loss()}):
 * <ul>
 *   <li>{@code supcon} — supervised contrastive loss (Khosla et al. 2020) over seeded batches of
 *       {@code classesPerBatch × examplesPerClass} examples: for anchor i with positives P(i) (same
 *       label, not i), {@code L_i = -1/|P(i)| Σ_{p∈P(i)} log(exp(s_ip/τ) / Σ_{a≠i} exp(s_ia/τ))}, s the
 *       cosine of adapted embeddings; every same-label pair in the batch is pulled together and every
 *       different-label pair pushed apart.</li>
 *   <li>{@code pairs} — SetFit's CosineSimilarityLoss: per epoch, for every example one seeded
 *       same-label partner (target 1) and one different-label partner (target 0);
 *       {@code L = mean((cos(h'_i, h'_j) - target)²)}.</li>
 * </ul>
 * Every random choice comes from the seed; the same inputs and options give the same adapter.
 */
public final class AdapterTrainer {

    private final AdapterOptions options;

    public AdapterTrainer(AdapterOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param x        unit-length embeddings {@code [n][d]}
     * @param y        label indices
     * @param progress receives one line per epoch
     */
    public ResidualAdapter train(float[][] x, int[] y, Consumer<String> progress) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("need at least 2 embeddings with one label each, got " + x.length
                    + " embeddings and " + y.length + " labels");
        }
        IntentTrainer.limitThreads();
        Engine engine = Engine.getEngine(IntentTrainer.ENGINE);
        List<List<Integer>> byLabel = byLabel(y);
        return StallGuard.retrying("adapter", () -> attempt(x, y, progress, engine, byLabel));
    }

    private ResidualAdapter attempt(float[][] x, int[] y, Consumer<String> progress, Engine engine,
            List<List<Integer>> byLabel) {
        int n = x.length;
        int d = x[0].length;
        int r = options.rank();
        engine.setRandomSeed(Long.hashCode(options.seed()));
        Random random = new Random(options.seed());
        try (NDManager manager = engine.newBaseManager()) {
            float[] flat = new float[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x[i], 0, flat, i * d, d);
            }
            NDArray all = manager.create(flat, new Shape(n, d));
            // Xavier-uniform A: U(-b, b), b = sqrt(6 / (r + d)); drawn from the seeded Random.
            float bound = (float) Math.sqrt(6.0 / (r + d));
            float[] a0 = new float[r * d];
            for (int i = 0; i < a0.length; i++) {
                a0[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            NDArray down = manager.create(a0, new Shape(r, d));
            NDArray up = manager.zeros(new Shape(d, r));
            down.setRequiresGradient(true);
            up.setRequiresGradient(true);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                    .optWeightDecays((float) options.weightDecay()).build();
            long start = System.nanoTime();
            StallGuard stall = StallGuard.of(down, up);
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                List<int[]> batches = options.loss() == AdapterOptions.Loss.SUPCON
                        ? classBatches(byLabel, random) : pairBatches(byLabel, y, random);
                double lossSum = 0;
                for (int[] batch : batches) {
                    try (NDManager step = manager.newSubManager()) {
                        NDArray idx = step.create(batch);
                        try (GradientCollector collector = engine.newGradientCollector()) {
                            NDArray loss = options.loss() == AdapterOptions.Loss.SUPCON
                                    ? supCon(adapt(all.get(idx), down, up), batch, y)
                                    : pairLoss(all, batch, down, up, step);
                            collector.backward(loss);
                            lossSum += loss.getFloat();
                        }
                        adam.update("down", down, down.getGradient());
                        adam.update("up", up, up.getGradient());
                        down.getGradient().subi(down.getGradient());
                        up.getGradient().subi(up.getGradient());
                    }
                }
                stall.afterEpoch(epoch, lossSum / batches.size(), options.learningRate());
                progress.accept(String.format(Locale.ROOT, "adapter epoch %d/%d  %s loss %.4f  elapsed %ds", epoch,
                        options.epochs(), options.loss().id(), lossSum / batches.size(),
                        (System.nanoTime() - start) / 1_000_000_000L));
            }
            return ResidualAdapter.of(matrix(down), matrix(up));
        }
    }

    /** Adapts every row with a trained adapter (in Java, as serving does). */
    public static float[][] apply(ResidualAdapter adapter, float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = adapter.apply(x[i]);
        }
        return out;
    }

    /** normalise(h + h·Aᵀ·Bᵀ), row-wise. */
    private static NDArray adapt(NDArray h, NDArray down, NDArray up) {
        return h.add(h.matMul(down.transpose()).matMul(up.transpose())).normalize(2, 1, 1e-12);
    }

    private NDArray supCon(NDArray z, int[] batch, int[] y) {
        int b = batch.length;
        NDManager m = z.getManager();
        float[] positives = new float[b * b];
        float[] self = new float[b * b];
        for (int i = 0; i < b; i++) {
            self[i * b + i] = 1;
            for (int j = 0; j < b; j++) {
                if (i != j && y[batch[i]] == y[batch[j]]) {
                    positives[i * b + j] = 1;
                }
            }
        }
        NDArray pos = m.create(positives, new Shape(b, b));
        NDArray logits = z.matMul(z.transpose()).div(options.temperature())
                .sub(m.create(self, new Shape(b, b)).mul(1e4));
        NDArray logProb = logits.logSoftmax(1);
        NDArray perAnchor = logProb.mul(pos).sum(new int[] {1}).div(pos.sum(new int[] {1}).maximum(1));
        return perAnchor.mean().neg();
    }

    /** batch holds triples (i, j, target) flattened; cosine of adapted rows against the target. */
    private NDArray pairLoss(NDArray all, int[] batch, NDArray down, NDArray up, NDManager m) {
        int pairs = batch.length / 3;
        int[] left = new int[pairs];
        int[] right = new int[pairs];
        float[] target = new float[pairs];
        for (int p = 0; p < pairs; p++) {
            left[p] = batch[3 * p];
            right[p] = batch[3 * p + 1];
            target[p] = batch[3 * p + 2];
        }
        NDArray a = adapt(all.get(m.create(left)), down, up);
        NDArray b = adapt(all.get(m.create(right)), down, up);
        NDArray cos = a.mul(b).sum(new int[] {1});
        return cos.sub(m.create(target)).square().mean();
    }

    /** Seeded batches of classesPerBatch labels x examplesPerClass examples, covering each example about once. */
    private List<int[]> classBatches(List<List<Integer>> byLabel, Random random) {
        List<Integer> usable = new ArrayList<>();
        int total = 0;
        for (int k = 0; k < byLabel.size(); k++) {
            if (byLabel.get(k).size() >= 2) {
                usable.add(k);
                total += byLabel.get(k).size();
            }
        }
        if (usable.size() < 2) {
            throw new IllegalArgumentException("contrastive training needs two labels with at least 2 examples each");
        }
        int perClass = options.examplesPerClass();
        int classes = Math.min(options.classesPerBatch(), usable.size());
        int steps = Math.max(1, total / (perClass * classes));
        List<int[]> batches = new ArrayList<>(steps);
        for (int s = 0; s < steps; s++) {
            List<Integer> chosen = new ArrayList<>(usable);
            partialShuffle(chosen, classes, random);
            int[] batch = new int[classes * perClass];
            int o = 0;
            for (int c = 0; c < classes; c++) {
                List<Integer> members = byLabel.get(chosen.get(c));
                List<Integer> pick = new ArrayList<>(members);
                int take = Math.min(perClass, pick.size());
                partialShuffle(pick, take, random);
                for (int t = 0; t < perClass; t++) {
                    // Labels with fewer than perClass examples repeat some (still distinct positives where possible).
                    batch[o++] = pick.get(t % take);
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Per epoch, each example once with a positive and once with a negative partner; shuffled; triples. */
    private List<int[]> pairBatches(List<List<Integer>> byLabel, int[] y, Random random) {
        int n = y.length;
        List<int[]> triples = new ArrayList<>(2 * n);
        for (int i = 0; i < n; i++) {
            List<Integer> same = byLabel.get(y[i]);
            if (same.size() >= 2) {
                int j;
                do {
                    j = same.get(random.nextInt(same.size()));
                } while (j == i);
                triples.add(new int[] {i, j, 1});
            }
            int k;
            do {
                k = random.nextInt(n);
            } while (y[k] == y[i]);
            triples.add(new int[] {i, k, 0});
        }
        java.util.Collections.shuffle(triples, random);
        int size = options.classesPerBatch() * options.examplesPerClass();
        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < triples.size(); from += size) {
            int to = Math.min(triples.size(), from + size);
            int[] batch = new int[3 * (to - from)];
            for (int t = from; t < to; t++) {
                System.arraycopy(triples.get(t), 0, batch, 3 * (t - from), 3);
            }
            batches.add(batch);
        }
        return batches;
    }

    private static List<List<Integer>> byLabel(int[] y) {
        int labels = 0;
        for (int v : y) {
            if (v < 0) {
                throw new IllegalArgumentException("negative label index " + v);
            }
            labels = Math.max(labels, v + 1);
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int k = 0; k < labels; k++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            out.get(y[i]).add(i);
        }
        return out;
    }

    /** Moves {@code k} seeded random elements to the front (Fisher-Yates, first k steps). */
    private static void partialShuffle(List<Integer> list, int k, Random random) {
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(list.size() - i);
            Integer t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    private static float[][] matrix(NDArray a) {
        int rows = Math.toIntExact(a.getShape().get(0));
        int cols = Math.toIntExact(a.getShape().get(1));
        float[] flat = a.toFloatArray();
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, m[i], 0, cols);
        }
        return m;
    }
}
