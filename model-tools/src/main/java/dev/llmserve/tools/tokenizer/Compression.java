package dev.llmserve.tools.tokenizer;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** How many UTF-8 bytes of text a tokenizer packs into one token, measured on held-out documents. */
public record Compression(long bytes, long tokens) {

    /** Encodes each document without special tokens, with the tokenizer as the engine runs it. */
    public static Compression measure(TextTokenizer tokenizer, Collection<String> documents) {
        long bytes = 0;
        long tokens = 0;
        for (String document : documents) {
            bytes += document.getBytes(StandardCharsets.UTF_8).length;
            tokens += tokenizer.encode(document, false).length;
        }
        return new Compression(bytes, tokens);
    }

    public double bytesPerToken() {
        return tokens == 0 ? 0 : (double) bytes / tokens;
    }
}
