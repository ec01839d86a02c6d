package dev.llmserve.tools.cli;

import dev.llmserve.engine.cli.CliArgs;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.tools.corpus.Corpus;
import dev.llmserve.tools.tokenizer.BpeTrainer;
import dev.llmserve.tools.tokenizer.ByteLevelBpe;
import dev.llmserve.tools.tokenizer.Compression;
import dev.llmserve.tools.tokenizer.SpecialTokens;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code train-tokenizer}: trains byte-level BPE on a corpus's training documents, writes the
 * tokenizer files and reports its compression on the held-out documents.
 */
final class TrainTokenizerCommand {

    static final String DEFAULT_CORPUS = "europarl-en";
    static final String DEFAULT_CORPUS_CACHE = ".llmserve/corpus";

    private TrainTokenizerCommand() {}

    static int run(List<String> args, PrintStream out) {
        CliArgs options = new CliArgs(args, Set.of("corpus", "vocab-size", "out", "seed", "corpus-cache"));
        Path outDir = Path.of(options.required("out"));
        String corpusName = options.string("corpus", DEFAULT_CORPUS);
        int vocabSize = options.integer("vocab-size", BpeTrainer.DEFAULT_VOCAB_SIZE);
        Long seedOption = options.optionalLong("seed");
        long seed = seedOption == null ? Corpus.DEFAULT_SEED : seedOption;
        Path cache = Path.of(options.string("corpus-cache", DEFAULT_CORPUS_CACHE));

        Corpus corpus = Corpus.load(corpusName, cache, seed);
        out.printf(Locale.ROOT, "corpus %s: %d training documents (%,d bytes), %d validation documents (%,d bytes),"
                        + " split seed %d%n", corpus.name(), corpus.train().size(), corpus.trainBytes(),
                corpus.validation().size(), corpus.validationBytes(), seed);

        long start = System.nanoTime();
        ByteLevelBpe bpe = BpeTrainer.train(corpus.train(), vocabSize);
        double seconds = (System.nanoTime() - start) / 1e9;
        bpe.write(outDir);
        out.printf(Locale.ROOT, "vocabulary: %d tokens (1 special, 256 bytes, %d merges), trained in %.1f s%n",
                bpe.vocabSize(), bpe.merges().size(), seconds);

        Compression compression;
        try (TextTokenizer tokenizer = TextTokenizer.load(outDir)) {
            compression = Compression.measure(tokenizer, corpus.validation());
        }
        out.printf(Locale.ROOT, "validation compression: %.2f bytes/token (%,d bytes in %,d tokens)%n",
                compression.bytesPerToken(), compression.bytes(), compression.tokens());
        out.printf("wrote %s and %s; %s is id %d (BOS, EOS and document separator)%n",
                outDir.resolve("tokenizer.json"), outDir.resolve("tokenizer_config.json"),
                SpecialTokens.END_OF_TEXT, SpecialTokens.END_OF_TEXT_ID);
        return 0;
    }
}
