package dev.llmserve.engine.tokenizer;

import dev.llmserve.engine.SharedModels;
import dev.llmserve.engine.testing.DefaultModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On the committed brown-6m's byte-level BPE tokenizer, and on stories260K's SentencePiece one against
 * what llama2.c's run.c printed (those skip where ../shared is absent).
 */
class IncrementalDetokenizerTest {

    private static final int BOS = 1;
    private static final int BROWN_BOS = 0;

    private static Path stories;
    private static TextTokenizer tokenizer;
    private static TextTokenizer brown;

    @BeforeAll
    static void loadTokenizers() {
        brown = TextTokenizer.load(DefaultModels.TARGET);
        stories = SharedModels.stories260K().orElse(null);
        if (stories != null) {
            tokenizer = TextTokenizer.load(stories.resolve("hf"));
        }
    }

    @AfterAll
    static void closeTokenizers() {
        brown.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    private static void assumeStories() {
        assumeTrue(tokenizer != null, SharedModels.missing("stories260K"));
    }

    /** brown-6m has no merges for these characters, so each one is 2-4 byte tokens. */
    @ParameterizedTest
    @ValueSource(strings = {"emoji 😀 and ✨", "日本語 テキスト", "café naïve résumé", "mixed 你好😀 text 🎉!", "😀😀"})
    void neverEmitsBrokenCharactersFromByteTokens(String text) {
        int[] ids = brown.encode(text, true);
        assertEquals(BROWN_BOS, ids[0]);
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(brown, new int[] {BROWN_BOS}, true);
        List<String> deltas = new ArrayList<>();
        for (int id : Arrays.copyOfRange(ids, 1, ids.length)) {
            deltas.add(detokenizer.accept(id));
        }
        deltas.forEach(delta -> assertFalse(delta.contains("\uFFFD"), "broken character in delta " + deltas));
        assertTrue(deltas.contains(""), "multi-byte characters should have been held back: " + deltas);
        assertEquals(text, String.join("", deltas));
        assertEquals("", detokenizer.flush());
    }

    @Test
    void deltasAfterBosEqualTheFullDecodeOfTheReferenceGeneration() throws IOException {
        assumeStories();
        int[] all = referenceIds();
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(tokenizer, new int[] {BOS}, true);
        StringBuilder text = new StringBuilder();
        for (int id : Arrays.copyOfRange(all, 1, all.length)) {
            text.append(detokenizer.accept(id));
        }
        assertEquals(tokenizer.decode(Arrays.copyOfRange(all, 1, all.length), true), text.toString());
        assertTrue(text.toString().startsWith("Once upon"), "leading space after BOS is stripped, as run.c does");
    }

    @Test
    void firstGeneratedPieceKeepsItsLeadingSpaceAfterPromptText() throws IOException {
        assumeStories();
        int[] all = referenceIds();
        int[] prompt = tokenizer.encode("Once upon a time", true);
        assertEquals(5, prompt.length);
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(tokenizer, prompt, true);
        List<String> deltas = new ArrayList<>();
        for (int id : Arrays.copyOfRange(all, prompt.length, all.length)) {
            deltas.add(detokenizer.accept(id));
        }
        String expected = Files.readString(stories.resolve("reference/greedy_onceupon_n256.txt"));
        assertEquals(expected, "Once upon a time" + String.join("", deltas) + "\n");
        assertEquals(List.of(",", " there", " was"), deltas.subList(0, 3));
    }

    @Test
    void flushReleasesAnIncompleteCharacterAsTheFullDecodeWouldShowIt() {
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(brown, new int[] {BROWN_BOS}, true);
        assertEquals("", detokenizer.accept(241)); // byte 0xF0, first of a 4-byte character
        assertEquals("", detokenizer.accept(160)); // byte 0x9F
        assertEquals(brown.decode(new int[] {241, 160}, true), detokenizer.flush());
        assertEquals("\uFFFD", brown.decode(new int[] {241, 160}, true)); // one for the incomplete sequence
    }

    @Test
    void emptyPromptStripsTheFirstLeadingSpaceLikeDecode() {
        assumeStories();
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(tokenizer, new int[0], true);
        assertEquals("Once", detokenizer.accept(403));
        assertEquals(" upon", detokenizer.accept(407));
    }

    /** Window logic on a toy decoder: ids 10 then 11 are the two halves of "é". */
    @Test
    void holdsBackWhileTheWindowEndsInAReplacementCharacter() {
        TokenDecoder toy = (ids, skipSpecial) -> {
            String joined = Arrays.stream(ids).mapToObj(id -> switch (id) {
                case 10 -> "\u0000";
                case 11 -> "\u0001";
                default -> " w" + id;
            }).reduce("", String::concat);
            return joined.replace("\u0000\u0001", "é").replace('\u0000', '\uFFFD').replace('\u0001', '\uFFFD');
        };
        IncrementalDetokenizer detokenizer = new IncrementalDetokenizer(toy, new int[] {7}, true);
        assertEquals(" w1", detokenizer.accept(1));
        assertEquals("", detokenizer.accept(10));
        assertEquals("é", detokenizer.accept(11));
        assertEquals(" w2", detokenizer.accept(2));
    }

    private static int[] referenceIds() throws IOException {
        return Arrays.stream(Files.readString(stories.resolve("reference/greedy_onceupon_n256.ids")).trim()
                .split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }
}
