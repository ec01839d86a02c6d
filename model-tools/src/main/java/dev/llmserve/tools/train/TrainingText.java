package dev.llmserve.tools.train;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.tools.corpus.Corpus;
import java.io.IOException;
import java.nio.file.Path;

/** A corpus encoded with a tokenizer: the training and held-out token streams every tool trains on. */
public record TrainingText(String corpusName, Path tokenizerDir, ModelTokens special, TokenStream train,
        TokenStream validation) {

    public static TrainingText load(Path tokenizerDir, String corpusName, Path cacheDir) throws IOException {
        ModelTokens special = ModelTokens.read(tokenizerDir);
        Corpus corpus = Corpus.load(corpusName, cacheDir, Corpus.DEFAULT_SEED);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerDir)) {
            return new TrainingText(corpusName, tokenizerDir, special,
                    TokenStream.encode(tokenizer, corpus.train(), special.endOfText()),
                    TokenStream.encode(tokenizer, corpus.validation(), special.endOfText()));
        }
    }
}
