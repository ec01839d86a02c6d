package dev.llmserve.engine.step;

/** What a sequence wants back from a step. */
public enum OutputMode {
    /** Nothing: a prompt chunk that does not yet reach the end of the prompt. */
    NONE,
    /** The next token sampled after the last new position. */
    SAMPLE,
    /** The logits at every new position (speculative verification, scoring). */
    ALL_LOGITS
}
