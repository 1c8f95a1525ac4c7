package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotModelTest {

    private static final BioTagSet ONE_LABEL = BioTagSet.ofLabels(List.of("x"));
    /** Accents, an apostrophe, punctuation, digits glued to letters, a tab and a double space. */
    private static final String TEXT = "Book 2 tables at Café Zoë's,  7:30pm\ttomorrow!";

    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path dir;


    /** A linear head that ignores its input: every piece gets logits = bias. */
    static SlotModel constant(BioTagSet tags, float[] bias, boolean wordConstraint) {
        return SlotModel.of(tags, 0, List.of(), List.of(new ClassifierHead.Layer(new float[tags.size()][384], bias)), null, null,
                wordConstraint);
    }

    @Test
    void entitiesAreExactSubstringsOnWordBoundariesWithTheWordConstraint() {
        // Every piece prefers B-x; inside a word the constraint forces I-x, so each word is one entity.
        SlotModel model = constant(ONE_LABEL, new float[] {0, 5, 0}, true);
        List<Entity> entities = model.extract(encoder.encodeTokens(TEXT), "model");
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("[\\p{L}\\p{N}]+|\\p{P}").matcher(TEXT);
        while (m.find()) {
            words.add(m.group());
        }
        assertEquals(words, entities.stream().map(Entity::text).toList());
        for (Entity e : entities) {
            assertEquals(TEXT.substring(e.start(), e.end()), e.text());
            assertEquals(e.text(), e.value());
            assertEquals("x", e.type());
            assertEquals("model", e.source());
            assertTrue(e.confidence() > 0.9 && e.confidence() <= 1.0, e.toString());
        }
        assertEquals("Café", entities.get(4).text());
        assertEquals("30pm", entities.get(11).text());
    }

    @Test
    void withoutTheWordConstraintEveryPieceCanStartAnEntity() {
        SlotModel model = constant(ONE_LABEL, new float[] {0, 5, 0}, false);
        TokenEncoding encoding = encoder.encodeTokens(TEXT);
        List<Entity> entities = model.extract(encoding, "model");
        int pieces = 0;
        for (int i = 0; i < encoding.size(); i++) {
            pieces += encoding.isSpecial(i) ? 0 : 1;
        }
        assertEquals(pieces, entities.size());
        assertTrue(pieces > TEXT.split("\\s+").length, "some words are split into several pieces");
    }

    @Test
    void theConstraintTurnsALeadingInsideTagIntoOneEntityOverTheWholeText() {
        // I-x is the likeliest tag everywhere, but a sequence cannot start with it: B-x I-x I-x ...
        SlotModel model = constant(ONE_LABEL, new float[] {0, 0, 5}, false);
        List<Entity> entities = model.extract(encoder.encodeTokens(TEXT), "model");
        assertEquals(1, entities.size());
        assertEquals(TEXT.substring(0, TEXT.length()), entities.get(0).text());
    }

    @Test
    void emptyAndWhitespaceTextsHaveNoEntities() {
        SlotModel model = constant(ONE_LABEL, new float[] {0, 5, 0}, true);
        assertEquals(List.of(), model.extract(encoder.encodeTokens(""), "model"));
        assertEquals(List.of(), model.extract(encoder.encodeTokens("  \t "), "model"));
    }

    static SlotModel random(long seed, BioTagSet tags, int window, int lstm, int lstmLayers, int hidden, boolean crf) {
        Random random = new Random(seed);
        int in = 384 * (2 * window + 1);
        List<BiLstm> recurrent = new ArrayList<>();
        for (int layer = 0; layer < lstmLayers && lstm > 0; layer++) {
            recurrent.add(new BiLstm(direction(random, in, lstm), direction(random, in, lstm)));
            in = 2 * lstm;
        }
        List<ClassifierHead.Layer> layers = new ArrayList<>();
        if (hidden > 0) {
            layers.add(new ClassifierHead.Layer(matrix(random, hidden, in), vector(random, hidden)));
            in = hidden;
        }
        layers.add(new ClassifierHead.Layer(matrix(random, tags.size(), in), vector(random, tags.size())));
        double[][] transitions = null;
        double[] start = null;
        if (crf) {
            int k = tags.size();
            transitions = new double[k][k];
            start = new double[k];
            for (int f = 0; f < k; f++) {
                start[f] = (float) random.nextGaussian(); // stored as F32
                for (int t = 0; t < k; t++) {
                    transitions[f][t] = (float) random.nextGaussian();
                }
            }
        }
        return SlotModel.of(tags, window, recurrent, layers, transitions, start, true);
    }

    private static BiLstm.Direction direction(Random random, int in, int h) {
        return new BiLstm.Direction(matrix(random, 4 * h, in), matrix(random, 4 * h, h), vector(random, 4 * h));
    }

    private static float[][] matrix(Random random, int rows, int cols) {
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) {
            m[r] = vector(random, cols);
        }
        return m;
    }

    private static float[] vector(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (0.1 * random.nextGaussian());
        }
        return v;
    }

    @Test
    void writeThenReadGivesTheSameModel() {
        BioTagSet tags = BioTagSet.ofLabels(List.of("date", "people", "time"));
        TokenEncoding encoding = encoder.encodeTokens("a table for 4 people tomorrow at 7pm please");
        for (int variant = 0; variant < 3; variant++) {
            SlotModel model = switch (variant) {
                case 0 -> random(1, tags, 0, 0, 0, 0, false);
                case 1 -> random(2, tags, 1, 0, 0, 32, true);
                default -> random(3, tags, 1, 8, 2, 16, true);
            };
            Path file = dir.resolve("v" + variant + ".safetensors");
            model.write(file);
            SlotModel read = SlotModel.read(file, tags);
            assertEquals(model.window(), read.window());
            assertEquals(model.crf(), read.crf());
            assertEquals(model.wordConstraint(), read.wordConstraint());
            assertEquals(model.lstm().size(), read.lstm().size());
            float[][] states = new float[encoding.size() - 2][];
            System.arraycopy(encoding.states(), 1, states, 0, states.length);
            float[][] a = model.logits(states);
            float[][] b = read.logits(states);
            for (int t = 0; t < a.length; t++) {
                assertArrayEquals(a[t], b[t], 1e-6f);
            }
            assertEquals(model.extract(encoding, "model"), read.extract(encoding, "model"));
        }
    }

    @Test
    void anEnsembleAveragesItsMembersScoresAndSurvivesWriteAndRead() {
        BioTagSet tags = BioTagSet.ofLabels(List.of("date", "people", "time"));
        SlotModel a = random(4, tags, 0, 8, 1, 0, true);
        SlotModel b = random(5, tags, 1, 0, 0, 16, true);
        SlotModel ensemble = SlotModel.ensemble(List.of(a, b));
        assertEquals(2, ensemble.members().size());
        TokenEncoding encoding = encoder.encodeTokens("two people at 8 on friday");
        float[][] states = new float[encoding.size() - 2][];
        System.arraycopy(encoding.states(), 1, states, 0, states.length);
        double[][] ea = a.emissions(states);
        double[][] eb = b.emissions(states);
        double[][] e = ensemble.emissions(states);
        for (int t = 0; t < e.length; t++) {
            for (int y = 0; y < tags.size(); y++) {
                assertEquals((ea[t][y] + eb[t][y]) / 2, e[t][y], 1e-9);
            }
        }
        assertEquals((a.transitions()[1][2] + b.transitions()[1][2]) / 2, ensemble.transitions()[1][2], 1e-12);
        Path file = dir.resolve("ensemble.safetensors");
        ensemble.write(file);
        SlotModel read = SlotModel.read(file, tags);
        assertEquals(2, read.members().size());
        assertEquals(1, read.members().get(1).window());
        assertEquals(ensemble.extract(encoding, "model"), read.extract(encoding, "model"));
        assertEquals("ensemble models must all use a CRF or all not", assertThrows(IllegalArgumentException.class,
                () -> SlotModel.ensemble(List.of(a, random(6, tags, 0, 0, 0, 0, false)))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlotModel.ensemble(List.of(a,
                random(7, BioTagSet.ofLabels(List.of("x")), 0, 0, 0, 0, true)))).getMessage().startsWith("ensemble models differ in tags"));
    }

    @Test
    void windowFeaturesConcatenateNeighboursWithZerosPastTheEnds() {
        float[][] states = {{1, 2}, {3, 4}, {5, 6}};
        float[][] x = SlotModel.windowFeatures(states, 1);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, x[0]);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, x[1]);
        assertArrayEquals(new float[] {3, 4, 5, 6, 0, 0}, x[2]);
        assertEquals(states, SlotModel.windowFeatures(states, 0));
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        List<ClassifierHead.Layer> twoOutputs = List.of(new ClassifierHead.Layer(new float[2][384], new float[2]));
        assertEquals("the head has 2 outputs but there are 3 tags", assertThrows(IllegalArgumentException.class,
                () -> SlotModel.of(ONE_LABEL, 0, List.of(), twoOutputs, null, null, false)).getMessage());
        List<ClassifierHead.Layer> head = List.of(new ClassifierHead.Layer(new float[3][384], new float[3]));
        assertEquals("the model takes 384 features per piece, not a multiple of the window width 5",
                assertThrows(IllegalArgumentException.class, () -> SlotModel.of(ONE_LABEL, 2, List.of(), head, null, null, false))
                        .getMessage());
        assertEquals("CRF transitions and start scores must be given together", assertThrows(IllegalArgumentException.class,
                () -> SlotModel.of(ONE_LABEL, 0, List.of(), head, new double[3][3], null, false)).getMessage());
    }
}
