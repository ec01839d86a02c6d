package dev.llmserve.engine.tokenizer;

import java.util.Arrays;

/**
 * Turns one sequence's generated ids into text deltas as they arrive, the way vLLM and TGI do.
 * Decoding a single id alone is wrong for SentencePiece-style tokenizers (their decoder strips the
 * leading space of the first piece) and for byte-fallback tokens (one character may span several
 * {@code <0xNN>} ids). So each step decodes a short window of earlier ids with and without the new
 * ones and emits the difference; while the window's text ends in U+FFFD the character is still
 * incomplete and nothing is emitted until it is. The window starts inside the prompt, so the first
 * generated piece keeps its leading space when it follows prompt text.
 */
public final class IncrementalDetokenizer {

    /** Ids of context before the first generated one; enough for the decoder's leading-space rule. */
    private static final int PROMPT_CONTEXT = 5;
    private static final char REPLACEMENT = '\uFFFD';

    private final TokenDecoder decoder;
    private final boolean skipSpecialTokens;
    private int[] ids;
    private int length;
    /** Start of the window decoded as context: its text was emitted already. */
    private int prefixOffset;
    /** End of the ids whose text was emitted. */
    private int readOffset;

    public IncrementalDetokenizer(TokenDecoder decoder, int[] promptIds, boolean skipSpecialTokens) {
        this.decoder = decoder;
        this.skipSpecialTokens = skipSpecialTokens;
        this.ids = Arrays.copyOf(promptIds, Math.max(16, promptIds.length * 2));
        this.length = promptIds.length;
        this.readOffset = promptIds.length;
        this.prefixOffset = Math.max(0, promptIds.length - PROMPT_CONTEXT);
    }

    /** Adds one generated id; returns the text it completes (possibly empty, never a broken character). */
    public String accept(int tokenId) {
        if (length == ids.length) {
            ids = Arrays.copyOf(ids, length * 2);
        }
        ids[length++] = tokenId;
        String prefixText = decode(prefixOffset, readOffset);
        String text = decode(prefixOffset, length);
        if (text.length() <= prefixText.length() || text.charAt(text.length() - 1) == REPLACEMENT) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = length;
        return text.substring(prefixText.length());
    }

    /**
     * The text of ids still held back at the end of generation, i.e. an incomplete character, which
     * comes out as U+FFFD just as a full decode would give it.
     */
    public String flush() {
        String prefixText = decode(prefixOffset, readOffset);
        String text = decode(prefixOffset, length);
        prefixOffset = readOffset;
        readOffset = length;
        return text.length() > prefixText.length() ? text.substring(prefixText.length()) : "";
    }

    private String decode(int from, int to) {
        return from == to ? "" : decoder.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }
}
