package dev.llmserve.engine.sampling;

/**
 * The tokens a sequence has seen, which penalties look at: the repetition penalty covers prompt and
 * output, presence and frequency penalties only the output (as in vLLM and OpenAI).
 */
public record TokenHistory(int[] promptTokens, int[] outputTokens) {

    public static final TokenHistory EMPTY = new TokenHistory(new int[0], new int[0]);
}
