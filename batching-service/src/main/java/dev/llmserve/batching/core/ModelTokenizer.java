package dev.llmserve.batching.core;

import dev.llmserve.engine.config.GenerationConfig;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.Set;

/**
 * The model's tokenizer, for detokenizing, and its end-of-sequence ids: generation_config.json's
 * (falling back to config.json's) plus the tokenizer's own, as {@code llmserve generate} uses them.
 */
public record ModelTokenizer(TextTokenizer tokenizer, Set<Integer> eosTokenIds) implements AutoCloseable {

    public ModelTokenizer {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    public static ModelTokenizer load(Path modelDir) {
        TextTokenizer tokenizer = TextTokenizer.load(modelDir);
        return new ModelTokenizer(tokenizer, GenerationConfig.load(modelDir).endOfSequenceIds(tokenizer.eosTokenId()));
    }

    /** The vocabulary piece of a token; ids past the tokenizer's vocabulary (padded embeddings) get a placeholder. */
    public String piece(int tokenId) {
        return tokenId >= 0 && tokenId < tokenizer.vocabSize() ? tokenizer.tokenText(tokenId) : "<" + tokenId + ">";
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
