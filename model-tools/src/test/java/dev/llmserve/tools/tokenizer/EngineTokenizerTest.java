package dev.llmserve.tools.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llmserve.engine.tokenizer.IncrementalDetokenizer;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The engine serves a model with the trained tokenizer: BOS/EOS are known and streamed text equals the full decode. */
class EngineTokenizerTest {

    @Test
    void engineFindsTheVocabularyAndTheSpecialToken() {
        try (TextTokenizer tokenizer = TextTokenizer.load(EuroparlTokenizer.dir())) {
            assertEquals(BpeTrainer.DEFAULT_VOCAB_SIZE, tokenizer.vocabSize());
            assertEquals(OptionalInt.of(SpecialTokens.END_OF_TEXT_ID), tokenizer.bosTokenId());
            assertEquals(OptionalInt.of(SpecialTokens.END_OF_TEXT_ID), tokenizer.eosTokenId());
            assertEquals(SpecialTokens.END_OF_TEXT, tokenizer.tokenText(SpecialTokens.END_OF_TEXT_ID));
            assertEquals(SpecialTokens.END_OF_TEXT_ID, tokenizer.encode("Once upon a time", true)[0]);
        }
    }

    @Test
    void streamedDetokenizationEqualsTheFullDecode() {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        texts.addAll(EuroparlTokenizer.corpus().validation().subList(0, 3));
        texts.addAll(TestTexts.random(100, 99L));
        try (TextTokenizer tokenizer = TextTokenizer.load(EuroparlTokenizer.dir())) {
            for (String text : texts) {
                int[] ids = tokenizer.encode(text, false);
                // as in serving: the prompt is BOS, every generated id streams out as it comes
                IncrementalDetokenizer detokenizer =
                        new IncrementalDetokenizer(tokenizer, new int[] {SpecialTokens.END_OF_TEXT_ID}, false);
                boolean textHasReplacement = text.indexOf('\uFFFD') >= 0;
                StringBuilder streamed = new StringBuilder();
                for (int id : ids) {
                    String delta = detokenizer.accept(id);
                    if (!textHasReplacement) {
                        assertEquals(-1, delta.indexOf('\uFFFD'), () -> "a delta held half a character: " + delta);
                    }
                    streamed.append(delta);
                }
                streamed.append(detokenizer.flush());
                assertEquals(tokenizer.decode(ids, false), streamed.toString());
                assertEquals(text, streamed.toString());
            }
        }
    }
}
