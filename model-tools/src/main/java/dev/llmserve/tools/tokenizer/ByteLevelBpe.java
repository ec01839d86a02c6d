package dev.llmserve.tools.tokenizer;

import java.nio.file.Path;
import java.util.List;

/**
 * A trained byte-level BPE tokenizer: the vocabulary in id order (the special token, the 256 bytes,
 * then merged pieces, all in GPT-2's byte alphabet) and the merges in the order they were learned.
 */
public record ByteLevelBpe(List<String> vocabulary, List<Merge> merges) {

    public ByteLevelBpe {
        vocabulary = List.copyOf(vocabulary);
        merges = List.copyOf(merges);
    }

    public int vocabSize() {
        return vocabulary.size();
    }

    /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir} (created if missing). */
    public void write(Path dir) {
        TokenizerFiles.write(this, dir);
    }
}
