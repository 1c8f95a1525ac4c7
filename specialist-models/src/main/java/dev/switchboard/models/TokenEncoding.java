package dev.switchboard.models;

import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The token-level output of an encoder for one text: word pieces, where each sits in the text, and
 * its contextual vector (the encoder's last hidden state, not normalised). Used by token
 * classifiers (entity extraction), which map predictions back to character spans.
 *
 * @param text    the encoded text
 * @param tokens  word pieces including the special tokens ([CLS], [SEP])
 * @param starts  char offset in {@code text} where token i starts; -1 for special tokens
 * @param ends    char offset after token i (exclusive); -1 for special tokens
 * @param words   index of the whitespace/punctuation word token i belongs to; -1 for special tokens
 * @param states  {@code states[i]} = hidden state of token i, {@code dimension} floats
 */
public record TokenEncoding(String text, List<String> tokens, int[] starts, int[] ends, int[] words, float[][] states) {

    public TokenEncoding {
        Objects.requireNonNull(text, "text");
        tokens = List.copyOf(tokens);
        int n = tokens.size();
        if (starts.length != n || ends.length != n || words.length != n || states.length != n) {
            throw new IllegalArgumentException("token arrays differ in length: tokens " + n + ", starts " + starts.length
                    + ", ends " + ends.length + ", words " + words.length + ", states " + states.length);
        }
    }

    /** Number of tokens, special tokens included. */
    public int size() {
        return tokens.size();
    }

    /** True for [CLS], [SEP] and other tokens that cover no text. */
    public boolean isSpecial(int i) {
        return starts[i] < 0;
    }

    /** The indices of the tokens that cover text (special tokens left out), in order: what a tagger labels. */
    public int[] contentPieces() {
        return IntStream.range(0, size()).filter(i -> !isSpecial(i)).toArray();
    }

    /** For each of {@code pieces}, whether it continues the word of the piece before it in {@code pieces}. */
    public boolean[] continuesWord(int[] pieces) {
        boolean[] continues = new boolean[pieces.length];
        for (int t = 1; t < pieces.length; t++) {
            continues[t] = words[pieces[t]] == words[pieces[t - 1]];
        }
        return continues;
    }

    /** The hidden states of {@code pieces}, in their order (the arrays are shared, not copied). */
    public float[][] states(int[] pieces) {
        float[][] out = new float[pieces.length][];
        for (int t = 0; t < pieces.length; t++) {
            out[t] = states[pieces[t]];
        }
        return out;
    }
}
