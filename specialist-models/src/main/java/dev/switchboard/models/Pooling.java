package dev.switchboard.models;

/** How an encoder turns its token states into one sentence vector (always L2-normalised after). */
public enum Pooling {
    /** Mean of the token states, weighted by the attention mask (sentence-transformers MiniLM). */
    MEAN,
    /** The state of the first ([CLS]) token (bge). */
    CLS
}
