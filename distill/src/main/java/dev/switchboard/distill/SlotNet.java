package dev.switchboard.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import dev.switchboard.models.BiLstm;
import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.SlotModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainable network of {@link SlotTrainer}: input {@code [B, L, in]} (window features already
 * concatenated) → [bidirectional LSTM(lstm) → {@code [B, L, 2·lstm]}, {@code layers} times, with dropout
 * between layers] → rows {@code [B·L, ·]} →
 * dropout → [linear(hidden) → ReLU → dropout] → linear(K) logits {@code [B·L, K]}. With a CRF the
 * output list also holds the transition {@code [K, K]} and start {@code [K]} scores (initialised to
 * zero), so the loss can use them.
 */
final class SlotNet extends AbstractBlock {

    private final List<LSTM> forwardLstm = new ArrayList<>();
    private final List<LSTM> backwardLstm = new ArrayList<>();
    private final List<Dropout> between = new ArrayList<>();
    private final SequentialBlock emission;
    private final Parameter transitions;
    private final Parameter start;

    SlotNet(int tags, int lstmSize, int lstmLayers, int hidden, float dropout, boolean crf) {
        // Two one-way LSTMs, the second over the time-reversed input: DJL 0.35.1's bidirectional LSTM
        // hands PyTorch its parameters in the wrong order (all weights, then all biases) and fails.
        for (int i = 0; lstmSize > 0 && i < lstmLayers; i++) {
            if (i > 0 && dropout > 0) {
                between.add(addChildBlock("lstm_dropout_" + i, Dropout.builder().optRate(dropout).build()));
            }
            forwardLstm.add(addChildBlock("lstm_forward_" + i, lstm(lstmSize)));
            backwardLstm.add(addChildBlock("lstm_backward_" + i, lstm(lstmSize)));
        }
        SequentialBlock net = new SequentialBlock();
        if (dropout > 0) {
            net.add(Dropout.builder().optRate(dropout).build());
        }
        if (hidden > 0) {
            net.add(Linear.builder().setUnits(hidden).build()).add(Activation.reluBlock());
            if (dropout > 0) {
                net.add(Dropout.builder().optRate(dropout).build());
            }
        }
        net.add(Linear.builder().setUnits(tags).build());
        this.emission = addChildBlock("emission", net);
        if (crf) {
            this.transitions = addParameter(Parameter.builder().setName("transitions").setType(Parameter.Type.OTHER)
                    .optInitializer(Initializer.ZEROS).optShape(new Shape(tags, tags)).build());
            this.start = addParameter(Parameter.builder().setName("start").setType(Parameter.Type.OTHER)
                    .optInitializer(Initializer.ZEROS).optShape(new Shape(tags)).build());
        } else {
            this.transitions = null;
            this.start = null;
        }
    }

    private static LSTM lstm(int size) {
        return LSTM.builder().setStateSize(size).setNumLayers(1).optBatchFirst(true).optHasBiases(true).build();
    }

    /** The left-to-right LSTM of each layer. */
    List<LSTM> forwardLstm() {
        return forwardLstm;
    }

    /** The right-to-left LSTM of each layer (run over the reversed sequence). */
    List<LSTM> backwardLstm() {
        return backwardLstm;
    }

    SequentialBlock emission() {
        return emission;
    }

    boolean crf() {
        return transitions != null;
    }

    Parameter transitionsParameter() {
        return transitions;
    }

    Parameter startParameter() {
        return start;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = x;
        for (int i = 0; i < forwardLstm.size(); i++) {
            if (i > 0 && !between.isEmpty()) {
                h = between.get(i - 1).forward(store, new NDList(h), training, params).head();
            }
            NDArray left = forwardLstm.get(i).forward(store, new NDList(h), training, params).head();
            NDArray right = backwardLstm.get(i).forward(store, new NDList(h.flip(1)), training, params).head().flip(1);
            h = left.concat(right, 2);
        }
        NDArray rows = h.reshape(-1, h.getShape().get(2));
        NDList out = emission.forward(store, new NDList(rows), training, params);
        if (transitions == null) {
            return out;
        }
        return new NDList(out.singletonOrThrow(), store.getValue(transitions, x.getDevice(), training),
                store.getValue(start, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] e = emission.getOutputShapes(new Shape[] {rowShape(inputShapes[0])});
        if (transitions == null) {
            return e;
        }
        long k = e[0].get(e[0].dimension() - 1);
        return new Shape[] {e[0], new Shape(k, k), new Shape(k)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int i = 0; i < forwardLstm.size(); i++) {
            if (i > 0 && !between.isEmpty()) {
                between.get(i - 1).initialize(manager, dataType, shape);
            }
            forwardLstm.get(i).initialize(manager, dataType, shape);
            backwardLstm.get(i).initialize(manager, dataType, shape);
            shape = new Shape(new long[] {shape.get(0), shape.get(1), 2 * lstmWidth(shape)}, "NTC");
        }
        emission.initialize(manager, dataType, rowShape(inputShapes[0]));
    }

    /** The shape of one row fed to the dense layers, for an input of shape {@code [B, L, in]}. */
    private Shape rowShape(Shape input) {
        long width = forwardLstm.isEmpty() ? input.get(2) : 2 * lstmWidth(input);
        return new Shape(1, width);
    }

    private long lstmWidth(Shape input) {
        return forwardLstm.get(0).getOutputShapes(new Shape[] {input})[0].get(2);
    }

    /**
     * Copies the weights out of the engine into a servable model: Linear weights are {@code [out, in]}
     * row-major in DJL as in {@link ClassifierHead}; each LSTM's {@code b_ih + b_hh} become one bias.
     */
    SlotModel toModel(BioTagSet tagSet, int window, boolean wordConstraint) {
        List<BiLstm> lstm = new ArrayList<>();
        for (int i = 0; i < forwardLstm.size(); i++) {
            lstm.add(new BiLstm(direction(forwardLstm.get(i).getParameters(), "l_0_"),
                    direction(backwardLstm.get(i).getParameters(), "l_0_")));
        }
        List<ClassifierHead.Layer> layers = new ArrayList<>();
        for (Block block : emission.getChildren().values()) {
            if (block instanceof Linear linear) {
                layers.add(new ClassifierHead.Layer(matrix(linear.getParameters().get("weight").getArray()),
                        linear.getParameters().get("bias").getArray().toFloatArray()));
            }
        }
        double[][] crfTransitions = null;
        double[] crfStart = null;
        if (crf()) {
            int k = tagSet.size();
            float[] t = transitions.getArray().toFloatArray();
            float[] s = start.getArray().toFloatArray();
            crfTransitions = new double[k][k];
            crfStart = new double[k];
            for (int f = 0; f < k; f++) {
                crfStart[f] = s[f];
                for (int g = 0; g < k; g++) {
                    crfTransitions[f][g] = t[f * k + g];
                }
            }
        }
        return SlotModel.of(tagSet, window, lstm, layers, crfTransitions, crfStart, wordConstraint);
    }

    /** One direction of DJL's LSTM; parameters are named {@code <l|r>_<layer>_<i2h|h2h>_<WEIGHT|BIAS>}. */
    private static BiLstm.Direction direction(ai.djl.nn.ParameterList parameters, String prefix) {
        float[] ih = parameters.get(prefix + "i2h_BIAS").getArray().toFloatArray();
        float[] hh = parameters.get(prefix + "h2h_BIAS").getArray().toFloatArray();
        float[] bias = new float[ih.length];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = ih[i] + hh[i];
        }
        return new BiLstm.Direction(matrix(parameters.get(prefix + "i2h_WEIGHT").getArray()),
                matrix(parameters.get(prefix + "h2h_WEIGHT").getArray()), bias);
    }

    private static float[][] matrix(NDArray w) {
        float[] flat = w.toFloatArray();
        int rows = Math.toIntExact(w.getShape().get(0));
        int cols = Math.toIntExact(w.getShape().get(1));
        float[][] m = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, m[r], 0, cols);
        }
        return m;
    }
}
