package dev.llmserve.tools.corpus;

import java.nio.file.Path;
import java.util.List;

/** Where a corpus's documents come from: each document is plain English text, paragraphs on their own lines. */
public interface CorpusSource {

    /** The names {@link #named} knows, the default first. */
    List<String> NAMES = List.of(EuroparlEnglish.NAME, BrownCorpus.NAME);

    List<String> documents();

    static CorpusSource named(String name, Path cacheDir) {
        return switch (name) {
            case EuroparlEnglish.NAME -> new EuroparlEnglish();
            case BrownCorpus.NAME -> new BrownCorpus(cacheDir);
            default -> throw new IllegalArgumentException(
                    "unknown corpus '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }
}
