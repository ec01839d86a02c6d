package dev.llmserve.tools.train;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Documents encoded and joined into one stream of ids, each document followed by the end-of-text id,
 * so the model learns where texts end (and what a new one starts with).
 */
public record TokenStream(int[] ids) {

    public static TokenStream encode(TextTokenizer tokenizer, List<String> documents, int endOfText) {
        int[] out = new int[1024];
        int size = 0;
        for (String document : documents) {
            int[] ids = tokenizer.encode(document, false);
            if (size + ids.length + 1 > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, size + ids.length + 1));
            }
            System.arraycopy(ids, 0, out, size, ids.length);
            size += ids.length;
            out[size++] = endOfText;
        }
        return new TokenStream(Arrays.copyOf(out, size));
    }

    public int size() {
        return ids.length;
    }
}
