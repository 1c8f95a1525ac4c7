package dev.switchboard.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and writes {@link SlotModel}s as safetensors; the layout is documented on {@link SlotModel}. */
final class SlotModelFile {

    private static final String FORMAT = "switchboard.slot-model";

    private SlotModelFile() {
    }

    static void write(SlotModel model, Path file) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("activation", "relu");
        metadata.put("word_constraint", Boolean.toString(model.wordConstraint()));
        List<SlotModel.Member> members = model.members();
        if (members.size() == 1) {
            putMember(model, members.getFirst(), "", tensors);
            metadata.put("window", Integer.toString(members.getFirst().window()));
        } else {
            metadata.put("members", Integer.toString(members.size()));
            for (int j = 0; j < members.size(); j++) {
                putMember(model, members.get(j), "members." + j + ".", tensors);
                metadata.put("window." + j, Integer.toString(members.get(j).window()));
            }
        }
        SafeTensors.of(tensors, metadata).write(file);
    }

    private static void putMember(SlotModel model, SlotModel.Member m, String prefix, Map<String, SafeTensors.Tensor> tensors) {
        List<ClassifierHead.Layer> layers = m.layers();
        for (int l = 0; l < layers.size(); l++) {
            float[] bias = layers.get(l).bias();
            tensors.put(prefix + "layers." + l + ".weight", SafeTensors.Tensor.ofRows(layers.get(l).weight()));
            tensors.put(prefix + "layers." + l + ".bias", new SafeTensors.Tensor(new int[] {bias.length}, bias));
        }
        for (int i = 0; i < m.lstm().size(); i++) {
            m.lstm().get(i).putTensors(prefix + "lstm." + i, tensors);
        }
        if (model.crf()) {
            int k = model.tagSet().size();
            double[][] transitions = SlotModel.transitionsOf(m);
            double[] start = SlotModel.startOf(m);
            float[][] t = new float[k][k];
            float[] s = new float[k];
            for (int f = 0; f < k; f++) {
                s[f] = (float) start[f];
                for (int g = 0; g < k; g++) {
                    t[f][g] = (float) transitions[f][g];
                }
            }
            tensors.put(prefix + "crf.transitions", SafeTensors.Tensor.ofRows(t));
            tensors.put(prefix + "crf.start", new SafeTensors.Tensor(new int[] {k}, s));
        }
    }

    static SlotModel read(Path file, BioTagSet tagSet) {
        SafeTensors st = SafeTensors.read(file);
        try {
            if (!FORMAT.equals(st.metadata().get("format"))) {
                throw new IllegalArgumentException("not a slot model (metadata format is '" + st.metadata().get("format") + "')");
            }
            boolean wordConstraint = Boolean.parseBoolean(required(st, "word_constraint"));
            String count = st.metadata().get("members");
            if (count == null) {
                return readMember(st, "", Integer.parseInt(required(st, "window")), tagSet, wordConstraint);
            }
            List<SlotModel> models = new ArrayList<>();
            for (int j = 0; j < Integer.parseInt(count); j++) {
                models.add(readMember(st, "members." + j + ".", Integer.parseInt(required(st, "window." + j)), tagSet,
                        wordConstraint));
            }
            return SlotModel.ensemble(models);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static SlotModel readMember(SafeTensors st, String prefix, int window, BioTagSet tagSet, boolean wordConstraint) {
        List<ClassifierHead.Layer> layers = new ArrayList<>();
        for (int l = 0; st.tensors().containsKey(prefix + "layers." + l + ".weight"); l++) {
            layers.add(new ClassifierHead.Layer(st.tensor(prefix + "layers." + l + ".weight").rows(),
                    st.tensor(prefix + "layers." + l + ".bias").data()));
        }
        List<BiLstm> lstm = new ArrayList<>();
        for (BiLstm layer = BiLstm.fromTensors(prefix + "lstm.0", st); layer != null;
                layer = BiLstm.fromTensors(prefix + "lstm." + lstm.size(), st)) {
            lstm.add(layer);
        }
        double[][] transitions = null;
        double[] start = null;
        if (st.tensors().containsKey(prefix + "crf.transitions")) {
            int k = tagSet.size();
            float[] flat = st.tensor(prefix + "crf.transitions").data();
            float[] s = st.tensor(prefix + "crf.start").data();
            if (flat.length != k * k || s.length != k) {
                throw new IllegalArgumentException("CRF tensors do not match " + k + " tags");
            }
            transitions = new double[k][k];
            start = new double[k];
            for (int f = 0; f < k; f++) {
                start[f] = s[f];
                for (int t = 0; t < k; t++) {
                    transitions[f][t] = flat[f * k + t];
                }
            }
        }
        return SlotModel.of(tagSet, window, lstm, layers, transitions, start, wordConstraint);
    }

    private static String required(SafeTensors st, String key) {
        String value = st.metadata().get(key);
        if (value == null) {
            throw new IllegalArgumentException("metadata '" + key + "' is missing");
        }
        return value;
    }
}
