package dev.llmserve.tools.tokenizer;

import dev.llmserve.tools.corpus.Corpus;
import java.nio.file.Path;
import java.time.Duration;

/** The default tokenizer (4,096 pieces on europarl-en's training documents), trained once per test run. */
final class EuroparlTokenizer {

    static final Path DIR = Path.of("target/europarl-en-tokenizer");

    private static Corpus corpus;
    private static ByteLevelBpe bpe;
    private static Duration trainingTime;

    private EuroparlTokenizer() {}

    static synchronized Corpus corpus() {
        if (corpus == null) {
            corpus = Corpus.load("europarl-en", Path.of("../.llmserve/corpus"), Corpus.DEFAULT_SEED);
        }
        return corpus;
    }

    /** Trains on first use and writes the files into {@link #DIR}. */
    static synchronized ByteLevelBpe bpe() {
        if (bpe == null) {
            long start = System.nanoTime();
            bpe = BpeTrainer.train(corpus().train(), BpeTrainer.DEFAULT_VOCAB_SIZE);
            trainingTime = Duration.ofNanos(System.nanoTime() - start);
            bpe.write(DIR);
        }
        return bpe;
    }

    static synchronized Path dir() {
        bpe();
        return DIR;
    }

    static synchronized Duration trainingTime() {
        bpe();
        return trainingTime;
    }
}
