package dev.switchboard.models;

/**
 * Writes the answer to a customer question from retrieved passages, citing them. Implementations
 * are thread-safe. Obtain one from {@link Generators}.
 */
public interface Generator {

    /**
     * Answers {@code request.question()} from {@code request.passages()} only.
     *
     * @return an answer; with empty {@link GeneratedAnswer#citedPassageIds()} when the passages do not
     *         answer the question
     * @throws RuntimeException from a remote model (timeout, HTTP error); nothing is retried here
     */
    GeneratedAnswer generate(GenerationRequest request);

    /** Stable identifier: {@code "extractive"}, {@code "openai:<model>"}, or the one given to {@link Generators}. */
    String id();
}
