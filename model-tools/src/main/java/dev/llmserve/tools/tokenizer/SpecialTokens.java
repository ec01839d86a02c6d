package dev.llmserve.tools.tokenizer;

/**
 * The one special token of the project's tokenizers. {@code <|endoftext|>} has id 0 and is BOS, EOS
 * and the separator between training documents alike (as in GPT-2): the tokenizer's post-processor
 * puts it before a text when special tokens are asked for, and a model learns to emit it where a
 * document ends.
 */
public final class SpecialTokens {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final int END_OF_TEXT_ID = 0;

    private SpecialTokens() {}
}
