package dev.switchboard.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The trained part of a slot tagger: a per-word-piece scorer over an encoder's token states with
 * constrained BIO decoding. For the word pieces {@code 0..n-1} of a text (special tokens removed)
 * with states {@code h_t}, each {@link Member} computes:
 * <ol>
 *   <li>features {@code x_t = [h_{t-w}; …; h_t; …; h_{t+w}]} (window {@code w ≥ 0}, zero vectors past
 *       either end);</li>
 *   <li>optionally a stack of bidirectional LSTMs over the sequence, each {@code x_t ← BiLstm(x)_t} ({@link BiLstm});</li>
 *   <li>logits {@code z_t = head(x_t)} (dense layers with ReLU between, see {@link ClassifierHead});</li>
 *   <li>emission scores {@code e_t = z_t} with a CRF (learned {@code transitions[from][to]} and
 *       {@code start[tag]}), else {@code e_t = log softmax(z_t)} with zero transition scores.</li>
 * </ol>
 * A model of several members (an ensemble) uses the mean of their emission, transition and start
 * scores. Then:
 * <ol>
 *   <li>BIO constraints ({@link BioTagSet#transitionMask()}) add −∞ to forbidden steps; with the
 *       word constraint, a piece that continues the previous piece's word (same word index) must
 *       repeat its entity: after O only O, after B-x or I-x only I-x, so entities start and end on
 *       word boundaries;</li>
 *   <li>the tags are the Viterbi path; a tag's confidence is its posterior marginal under the same
 *       scores ({@link Viterbi#marginals}).</li>
 * </ol>
 * Every word piece is tagged (not only the first of a word). Immutable and thread-safe.
 *
 * <p>Stored as safetensors. A member's tensors: {@code layers.<i>.weight} {@code [out, in]},
 * {@code layers.<i>.bias}, per LSTM layer i {@code lstm.<i>.forward.weight_ih}, {@code .weight_hh},
 * {@code .bias} (and {@code lstm.<i>.backward.*}), with a CRF {@code crf.transitions} {@code [K, K]} and
 * {@code crf.start} {@code [K]}; metadata {@code window}. A single member is stored under these names;
 * member j of an ensemble under {@code members.<j>.<name>} with metadata {@code members} and
 * {@code window.<j>}. Metadata {@code word_constraint} applies to the whole model.
 */
public final class SlotModel {

    /** Output of {@link #decode}: one tag per piece and its posterior probability. */
    public record Decoded(int[] tags, double[] confidence) {

        public Decoded {
            Objects.requireNonNull(tags, "tags");
            Objects.requireNonNull(confidence, "confidence");
            if (tags.length != confidence.length) {
                throw new IllegalArgumentException("tags and confidence differ in length");
            }
        }
    }

    /** One scorer: window features → LSTM layers → dense head, and its CRF scores (null without a CRF). */
    public static final class Member {

        private final int window;
        private final List<BiLstm> lstm;
        private final ClassifierHead head;
        private final double[][] transitions;
        private final double[] start;

        private Member(int window, List<BiLstm> lstm, ClassifierHead head, double[][] transitions, double[] start) {
            this.window = window;
            this.lstm = lstm;
            this.head = head;
            this.transitions = transitions;
            this.start = start;
        }

        public int window() {
            return window;
        }

        /** The bidirectional LSTM layers, in order; empty if none. */
        public List<BiLstm> lstm() {
            return lstm;
        }

        /** The dense layers. */
        public List<ClassifierHead.Layer> layers() {
            return head.layers();
        }

        /** The dimension of one token state this member expects. */
        public int stateDimension() {
            return (lstm.isEmpty() ? head.inputDimension() : lstm.getFirst().inputDimension()) / (2 * window + 1);
        }

        /** Raw logits {@code z_t} per piece. */
        public float[][] logits(float[][] states) {
            float[][] x = windowFeatures(states, window);
            if (x.length > 0) {
                for (BiLstm layer : lstm) {
                    x = layer.apply(x);
                }
            }
            float[][] z = new float[x.length][];
            for (int t = 0; t < x.length; t++) {
                z[t] = head.logits(x[t]);
            }
            return z;
        }
    }

    private final BioTagSet tagSet;
    private final List<Member> members;
    private final boolean crf;
    private final boolean wordConstraint;
    /** Mean member scores (zero without a CRF). */
    private final double[][] transitions;
    private final double[] start;
    private final double[][] mask;
    private final double[] startMask;

    private SlotModel(BioTagSet tagSet, List<Member> members, boolean crf, boolean wordConstraint) {
        this.tagSet = tagSet;
        this.members = List.copyOf(members);
        this.crf = crf;
        this.wordConstraint = wordConstraint;
        int k = tagSet.size();
        this.transitions = new double[k][k];
        this.start = new double[k];
        if (crf) {
            for (Member m : members) {
                for (int f = 0; f < k; f++) {
                    start[f] += m.start[f] / members.size();
                    for (int t = 0; t < k; t++) {
                        transitions[f][t] += m.transitions[f][t] / members.size();
                    }
                }
            }
        }
        this.mask = tagSet.transitionMask();
        this.startMask = tagSet.startMask();
    }

    /**
     * A model of one member.
     *
     * @param lstm        bidirectional LSTM layers between the window features and the head, in order (may be empty)
     * @param transitions CRF transition scores {@code [K][K]}, or null for independent per-piece softmax
     * @param start       CRF start scores {@code [K]}; null exactly when {@code transitions} is
     * @throws IllegalArgumentException if the head's output size is not the number of tags, the
     *                                  feature size is not a multiple of {@code 2·window + 1}, the LSTM and
     *                                  head do not fit together, or the CRF shapes are wrong
     */
    public static SlotModel of(BioTagSet tagSet, int window, List<BiLstm> lstm, List<ClassifierHead.Layer> layers,
            double[][] transitions, double[] start, boolean wordConstraint) {
        Objects.requireNonNull(tagSet, "tagSet");
        Member member = member(tagSet, window, lstm, layers, transitions, start);
        return new SlotModel(tagSet, List.of(member), transitions != null, wordConstraint);
    }

    /**
     * An ensemble: the members of {@code models}, scored by their mean, decoded with the word
     * constraint of the first.
     *
     * @throws IllegalArgumentException if there is no model, or they differ in tags, in CRF use or in
     *                                  the token-state dimension they take
     */
    public static SlotModel ensemble(List<SlotModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        SlotModel first = models.getFirst();
        List<Member> members = new ArrayList<>();
        for (SlotModel m : models) {
            if (!m.tagSet.equals(first.tagSet)) {
                throw new IllegalArgumentException("ensemble models differ in tags: " + m.tagSet + " vs " + first.tagSet);
            }
            if (m.crf != first.crf) {
                throw new IllegalArgumentException("ensemble models must all use a CRF or all not");
            }
            if (m.stateDimension() != first.stateDimension()) {
                throw new IllegalArgumentException("ensemble models take token states of different sizes: "
                        + m.stateDimension() + " vs " + first.stateDimension());
            }
            members.addAll(m.members);
        }
        return new SlotModel(first.tagSet, members, first.crf, first.wordConstraint);
    }

    private static Member member(BioTagSet tagSet, int window, List<BiLstm> lstm, List<ClassifierHead.Layer> layers,
            double[][] transitions, double[] start) {
        if (window < 0) {
            throw new IllegalArgumentException("window must be >= 0, got " + window);
        }
        ClassifierHead head = ClassifierHead.of(layers, 1.0);
        if (head.outputDimension() != tagSet.size()) {
            throw new IllegalArgumentException("the head has " + head.outputDimension() + " outputs but there are "
                    + tagSet.size() + " tags");
        }
        lstm = List.copyOf(lstm);
        for (int i = 1; i < lstm.size(); i++) {
            if (lstm.get(i).inputDimension() != lstm.get(i - 1).outputDimension()) {
                throw new IllegalArgumentException("LSTM layer " + i + " takes " + lstm.get(i).inputDimension()
                        + " values per piece but layer " + (i - 1) + " gives " + lstm.get(i - 1).outputDimension());
            }
        }
        if (!lstm.isEmpty() && lstm.getLast().outputDimension() != head.inputDimension()) {
            throw new IllegalArgumentException("the LSTM gives " + lstm.getLast().outputDimension()
                    + " values per piece but the head takes " + head.inputDimension());
        }
        int features = lstm.isEmpty() ? head.inputDimension() : lstm.getFirst().inputDimension();
        if (features % (2 * window + 1) != 0) {
            throw new IllegalArgumentException("the model takes " + features
                    + " features per piece, not a multiple of the window width " + (2 * window + 1));
        }
        if ((transitions == null) != (start == null)) {
            throw new IllegalArgumentException("CRF transitions and start scores must be given together");
        }
        int k = tagSet.size();
        if (transitions != null) {
            if (transitions.length != k || start.length != k) {
                throw new IllegalArgumentException("CRF scores must be " + k + " x " + k + " and " + k);
            }
            for (double[] row : transitions) {
                if (row.length != k) {
                    throw new IllegalArgumentException("CRF transitions must be " + k + " x " + k);
                }
                checkFinite(row);
            }
            checkFinite(start);
            transitions = copy(transitions);
            start = start.clone();
        }
        return new Member(window, lstm, head, transitions, start);
    }

    public BioTagSet tagSet() {
        return tagSet;
    }

    /** The scorers; more than one for an ensemble. */
    public List<Member> members() {
        return members;
    }

    /** The first member's window. */
    public int window() {
        return members.getFirst().window;
    }

    /** The first member's LSTM layers. */
    public List<BiLstm> lstm() {
        return members.getFirst().lstm;
    }

    /** The first member's dense layers. */
    public List<ClassifierHead.Layer> layers() {
        return members.getFirst().layers();
    }

    public boolean crf() {
        return crf;
    }

    public boolean wordConstraint() {
        return wordConstraint;
    }

    /** The dimension of one token state this model expects. */
    public int stateDimension() {
        return members.getFirst().stateDimension();
    }

    /** The same weights decoded with or without the word constraint. */
    public SlotModel withWordConstraint(boolean constraint) {
        return new SlotModel(tagSet, members, crf, constraint);
    }

    /** A copy of the (mean) CRF transition scores {@code [from][to]}, or null without a CRF. */
    public double[][] transitions() {
        return crf ? copy(transitions) : null;
    }

    /** Concatenates each state with its {@code window} neighbours on either side (zeros past the ends). */
    public static float[][] windowFeatures(float[][] states, int window) {
        int n = states.length;
        if (window == 0) {
            return states;
        }
        int d = n == 0 ? 0 : states[0].length;
        float[][] x = new float[n][(2 * window + 1) * d];
        for (int t = 0; t < n; t++) {
            for (int o = -window; o <= window; o++) {
                int s = t + o;
                if (s >= 0 && s < n) {
                    System.arraycopy(states[s], 0, x[t], (o + window) * d, d);
                }
            }
        }
        return x;
    }

    /** The first member's raw logits {@code z_t} per piece. @throws IllegalArgumentException on a wrong state dimension */
    public float[][] logits(float[][] states) {
        return members.getFirst().logits(states);
    }

    /** Emission scores {@code e_t}: the mean over members of z (CRF) or log softmax(z). */
    public double[][] emissions(float[][] states) {
        int n = states.length;
        int k = tagSet.size();
        double[][] e = new double[n][k];
        for (Member m : members) {
            float[][] z = m.logits(states);
            for (int t = 0; t < n; t++) {
                if (crf) {
                    for (int y = 0; y < k; y++) {
                        e[t][y] += z[t][y] / members.size();
                    }
                } else {
                    double[] p = ClassifierHead.softmax(z[t], 1.0);
                    for (int y = 0; y < k; y++) {
                        e[t][y] += Math.log(p[y]) / members.size();
                    }
                }
            }
        }
        return e;
    }

    /**
     * Tags the pieces whose states are given.
     *
     * @param continues {@code continues[t]} = piece t belongs to the same word as piece t-1 (used only
     *                  with the word constraint); may be null
     */
    public Decoded decode(float[][] states, boolean[] continues) {
        int n = states.length;
        if (n == 0) {
            return new Decoded(new int[0], new double[0]);
        }
        Lattice lattice = lattice(states, continues);
        int[] tags = Viterbi.decode(lattice.emissions(), lattice.first(), lattice.transitions());
        double[][] m = Viterbi.marginals(lattice.emissions(), lattice.first(), lattice.transitions());
        double[] confidence = new double[n];
        for (int t = 0; t < n; t++) {
            confidence[t] = Math.min(1.0, Math.max(0.0, m[t][tags[t]]));
        }
        return new Decoded(tags, confidence);
    }

    /**
     * The tags {@link #decode} gives, without the per-piece confidences (no forward-backward pass): what
     * scoring spans during training needs.
     */
    public int[] decodeTags(float[][] states, boolean[] continues) {
        if (states.length == 0) {
            return new int[0];
        }
        Lattice lattice = lattice(states, continues);
        return Viterbi.decode(lattice.emissions(), lattice.first(), lattice.transitions());
    }

    /** Emission, start and (masked, word-constrained) transition scores of one sequence. */
    private record Lattice(double[][] emissions, double[] first, Viterbi.Transitions transitions) {
    }

    private Lattice lattice(float[][] states, boolean[] continues) {
        int n = states.length;
        double[][] e = emissions(states);
        int k = tagSet.size();
        double[] first = new double[k];
        for (int y = 0; y < k; y++) {
            first[y] = start[y] + startMask[y];
        }
        boolean[] cont = wordConstraint && continues != null ? continues : new boolean[n];
        Viterbi.Transitions scores = (t, from, to) -> {
            double s = transitions[from][to] + mask[from][to];
            if (cont[t] && !continuesEntity(from, to)) {
                return Double.NEGATIVE_INFINITY;
            }
            return s;
        };
        return new Lattice(e, first, scores);
    }

    /** Inside a word: O stays O, an entity continues as I- of the same label. */
    private boolean continuesEntity(int from, int to) {
        return from == 0 ? to == 0 : tagSet.isInside(to) && tagSet.labelOf(to).equals(tagSet.labelOf(from));
    }

    /**
     * The entities of an encoded text: each maximal B-x I-x… run of pieces becomes one entity from the
     * first piece's start to the last piece's end, with value = its text, source {@code source} and
     * confidence = the mean posterior of its pieces' tags. Sorted by start, non-overlapping.
     */
    public List<Entity> extract(TokenEncoding encoding, String source) {
        int[] pieces = encoding.contentPieces();
        int n = pieces.length;
        float[][] states = encoding.states(pieces);
        boolean[] continues = encoding.continuesWord(pieces);
        Decoded decoded = decode(states, continues);
        List<Entity> entities = new ArrayList<>();
        String text = encoding.text();
        int t = 0;
        while (t < n) {
            int tag = decoded.tags()[t];
            if (tag == 0) {
                t++;
                continue;
            }
            // Viterbi never starts a run with I-x; every run starts with B-x.
            int from = t;
            double sum = decoded.confidence()[t];
            t++;
            while (t < n && decoded.tags()[t] == tagSet.inside(tagSet.labelOf(tag))) {
                sum += decoded.confidence()[t];
                t++;
            }
            int begin = encoding.starts()[pieces[from]];
            int end = encoding.ends()[pieces[t - 1]];
            if (end > begin) {
                String span = text.substring(begin, end);
                entities.add(new Entity(tagSet.labelOf(tag), span, begin, end, span, source, sum / (t - from)));
            }
        }
        return List.copyOf(entities);
    }

    /** Writes the weights as safetensors (layout in the class comment). */
    public void write(Path file) {
        SlotModelFile.write(this, file);
    }

    /**
     * Reads weights written by {@link #write} for the tags {@code tagSet}.
     *
     * @throws IllegalArgumentException naming the file if it is not a slot model or its shapes disagree
     */
    public static SlotModel read(Path file, BioTagSet tagSet) {
        return SlotModelFile.read(file, tagSet);
    }

    /** A member's CRF transition scores (null without a CRF); package-private for {@link SlotModelFile}. */
    static double[][] transitionsOf(Member m) {
        return m.transitions;
    }

    /** A member's CRF start scores (null without a CRF). */
    static double[] startOf(Member m) {
        return m.start;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static void checkFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("CRF scores must be finite, got " + v);
            }
        }
    }
}
