package dev.llmserve.engine.tokenizer;

/** Turns token ids back into text; the one operation incremental detokenization needs. */
@FunctionalInterface
public interface TokenDecoder {

    String decode(int[] ids, boolean skipSpecialTokens);
}
