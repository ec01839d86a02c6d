package dev.llmserve.tools.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {

    @Test
    void mergesTheMostFrequentPairFirstAndBreaksTiesByLowerIds() {
        // pieces "cd", " ba" ×2, " ab" ×2, "ba", " cd": b+a occurs 3 times, then four pairs tie at 2
        // and go in id order: Ġ (1 + 0x20) + a before Ġ + ba (257) before a + b before c + d
        ByteLevelBpe bpe = BpeTrainer.train(List.of("cd ba ba ab", "ba cd ab"), 260);
        assertEquals(List.of(new Merge("b", "a"), new Merge("Ġ", "a"), new Merge("Ġ", "ba")), bpe.merges());
        assertEquals(List.of("ba", "Ġa", "Ġba"), bpe.vocabulary().subList(257, 260));
    }

    @Test
    void layoutIsSpecialTokenThenBytesThenMerges() {
        ByteLevelBpe bpe = BpeTrainer.train(EuroparlTokenizer.corpus().train(), 1000);
        assertEquals(1000, bpe.vocabSize());
        assertEquals(SpecialTokens.END_OF_TEXT, bpe.vocabulary().get(SpecialTokens.END_OF_TEXT_ID));
        assertEquals("!", bpe.vocabulary().get(1 + '!'));
        assertEquals("Ġ", bpe.vocabulary().get(1 + ' '));
        assertEquals("Ċ", bpe.vocabulary().get(1 + '\n'));
        assertEquals(Set.copyOf(bpe.vocabulary()).size(), bpe.vocabSize(), "pieces are distinct");
        Set<String> known = new HashSet<>(bpe.vocabulary().subList(0, 257));
        for (Merge merge : bpe.merges()) {
            assertTrue(known.contains(merge.left()) && known.contains(merge.right()), "merge of known pieces: " + merge);
            known.add(merge.merged());
        }
        assertEquals(Set.copyOf(bpe.vocabulary()), known);
        assertTrue(bpe.vocabulary().contains("Ġthe") && bpe.vocabulary().contains("ĠParliament"));
    }

    @Test
    void sameDocumentsGiveTheSameTokenizer() {
        List<String> documents = EuroparlTokenizer.corpus().train().subList(0, 200);
        assertEquals(BpeTrainer.train(documents, 800), BpeTrainer.train(documents, 800));
    }

    @Test
    void stopsWhenNoPairIsLeft() {
        ByteLevelBpe bpe = BpeTrainer.train(List.of("abab"), 4096);
        assertEquals(List.of(new Merge("a", "b"), new Merge("ab", "ab")), bpe.merges());
        assertEquals(259, bpe.vocabSize());
    }

    @Test
    void theSpecialTokenInTextIsNeverMerged() {
        ByteLevelBpe bpe = BpeTrainer.train(List.of("x<|endoftext|>y".repeat(50)), 300);
        assertTrue(bpe.vocabulary().stream().skip(1).noneMatch(piece -> piece.contains("endoftext")), bpe.vocabulary().toString());
    }

    @Test
    void rejectsAVocabularyWithoutRoomForTheBytes() {
        assertThrows(IllegalArgumentException.class, () -> BpeTrainer.train(List.of("text"), 256));
    }

    @Test
    void trainsTheDefaultTokenizerOnEuroparlInSeconds() {
        assertEquals(BpeTrainer.DEFAULT_VOCAB_SIZE, EuroparlTokenizer.bpe().vocabSize());
        assertTrue(EuroparlTokenizer.trainingTime().compareTo(Duration.ofSeconds(30)) < 0,
                "training took " + EuroparlTokenizer.trainingTime());
    }
}
