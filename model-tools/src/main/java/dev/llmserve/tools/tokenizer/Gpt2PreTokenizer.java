package dev.llmserve.tools.tokenizer;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the pieces BPE merges never cross, with GPT-2's pattern — the one HF's ByteLevel
 * pre-tokenizer applies ({@code use_regex: true}): English contractions, letters with one leading
 * space, digits with one leading space, other symbols with one leading space, and whitespace runs
 * (all but their last space when a word follows). The special token is cut out first, as HF does
 * with added tokens, so it never takes part in merges.
 */
final class Gpt2PreTokenizer {

    private static final Pattern PIECE = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPECIAL = Pattern.compile(Pattern.quote(SpecialTokens.END_OF_TEXT));

    private Gpt2PreTokenizer() {}

    static void forEachPiece(String text, Consumer<String> piece) {
        for (String segment : SPECIAL.split(text)) {
            Matcher matcher = PIECE.matcher(segment);
            while (matcher.find()) {
                piece.accept(matcher.group());
            }
        }
    }
}
