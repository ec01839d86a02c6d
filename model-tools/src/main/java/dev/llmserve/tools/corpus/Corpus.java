package dev.llmserve.tools.corpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A named corpus of English documents, split once into training and held-out validation documents.
 * The tokenizer and the models are trained on {@link #train()} and measured on {@link #validation()};
 * the same name and seed always give the same split, so every tool holds out the same documents.
 */
public record Corpus(String name, List<String> train, List<String> validation) {

    /** The split every tool uses unless told otherwise. */
    public static final long DEFAULT_SEED = 0L;

    public Corpus {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Loads {@code europarl-en} or {@code brown} (see {@link CorpusSource#named}) and splits it.
     * {@code cacheDir} holds downloaded sources (Brown's npm tarball) for later runs.
     */
    public static Corpus load(String name, Path cacheDir, long seed) {
        DocumentSplit split = DocumentSplit.of(CorpusSource.named(name, cacheDir).documents(), seed);
        return new Corpus(name, split.train(), split.validation());
    }

    public long trainBytes() {
        return utf8Bytes(train);
    }

    public long validationBytes() {
        return utf8Bytes(validation);
    }

    private static long utf8Bytes(List<String> documents) {
        return documents.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
