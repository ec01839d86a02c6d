package dev.llmserve.tools.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DocumentSplitTest {

    private static final List<String> EUROPARL = new EuroparlEnglish().documents();

    @Test
    void holdsOutFivePercentDisjointFromTraining() {
        DocumentSplit split = DocumentSplit.of(EUROPARL, 0);
        Set<String> distinct = new HashSet<>(EUROPARL);
        assertEquals(Math.round(distinct.size() * 0.05), split.validation().size());
        Set<String> both = new HashSet<>(split.train());
        both.retainAll(split.validation());
        assertTrue(both.isEmpty(), "documents on both sides: " + both.size());
        assertEquals(distinct.size(), split.train().size() + split.validation().size());
    }

    @Test
    void sameSeedSameSplitWhateverTheOrder() {
        List<String> shuffled = new ArrayList<>(EUROPARL);
        Collections.shuffle(shuffled, new java.util.Random(1));
        assertEquals(Set.copyOf(DocumentSplit.of(EUROPARL, 0).validation()),
                Set.copyOf(DocumentSplit.of(shuffled, 0).validation()));
        assertNotEquals(DocumentSplit.of(EUROPARL, 0).validation(), DocumentSplit.of(EUROPARL, 1).validation());
    }

    @Test
    void keepsTheSourceOrderAndDropsDuplicates() {
        DocumentSplit split = DocumentSplit.of(List.of("a", "b", "a", "c", "d"), 3);
        List<String> all = new ArrayList<>(split.train());
        all.addAll(split.validation());
        assertEquals(Set.of("a", "b", "c", "d"), Set.copyOf(all));
        assertEquals(4, all.size());
        assertEquals(1, split.validation().size());
        assertThrows(IllegalArgumentException.class, () -> DocumentSplit.of(List.of("a", "a"), 0));
    }

    @Test
    void corpusLoadsTheNamedSourceSplit() {
        Corpus corpus = Corpus.load("europarl-en", Path.of("../.llmserve/corpus"), Corpus.DEFAULT_SEED);
        assertEquals(DocumentSplit.of(EUROPARL, Corpus.DEFAULT_SEED).validation(), corpus.validation());
        assertTrue(corpus.trainBytes() > 20 * corpus.validationBytes() / 2);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Corpus.load("wikipedia", Path.of("unused"), 0));
        assertTrue(unknown.getMessage().contains("europarl-en, brown"), unknown.getMessage());
    }
}
