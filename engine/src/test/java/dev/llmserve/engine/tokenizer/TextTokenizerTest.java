package dev.llmserve.engine.tokenizer;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.llmserve.engine.SharedModels;
import dev.llmserve.engine.testing.DefaultModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed brown-6m's byte-level BPE tokenizer, and stories260K's SentencePiece one against what
 * llama2.c's run.c encoded and printed (those skip where ../shared is absent).
 */
class TextTokenizerTest {

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

    @Test
    void reproducesRunCEncodeForAllCasesExceptDocumentedDivergences() throws IOException {
        assumeStories();
        JsonObject file = JsonParser.parseString(
                Files.readString(stories.resolve("reference/tokenize_cases_runc.json"))).getAsJsonObject();
        List<JsonElement> cases = new ArrayList<>();
        file.getAsJsonArray("cases").forEach(cases::add);
        file.getAsJsonArray("known_divergent_for_hf").forEach(cases::add);
        List<String> skipped = new ArrayList<>();
        int checked = 0;
        for (JsonElement element : cases) {
            JsonObject c = element.getAsJsonObject();
            String text = c.get("text").getAsString();
            // Documented HF/run.c differences: HF reads literal <s>, </s>, <unk> as special tokens
            // and a literal U+2581 as its space marker; run.c encodes both as plain text.
            if (text.contains("<s>") || text.contains("</s>") || text.contains("<unk>") || text.contains("\u2581")) {
                skipped.add(text);
                continue;
            }
            assertArrayEquals(ids(c.getAsJsonArray("ids")), tokenizer.encode(text, true), "ids of " + text);
            checked++;
        }
        assertEquals(List.of("a <s> b", "x\u2581y"), skipped);
        assertEquals(27, checked);
    }

    @Test
    void decodesRunCGreedyReferenceExactly() throws IOException {
        assumeStories();
        int[] all = Arrays.stream(Files.readString(stories.resolve("reference/greedy_onceupon_n256.ids")).trim()
                .split("\\s+")).mapToInt(Integer::parseInt).toArray();
        String expected = Files.readString(stories.resolve("reference/greedy_onceupon_n256.txt"), StandardCharsets.UTF_8);
        assertEquals(1, all[0], "the reference starts with BOS");
        int[] afterBos = Arrays.copyOfRange(all, 1, all.length);
        // run.c ends its output with a newline of its own, not a token.
        assertEquals(expected, tokenizer.decode(afterBos, true) + "\n");
        assertEquals(expected, tokenizer.decode(all, true) + "\n");
    }

    @Test
    void addsBosOnlyWhenAsked() {
        assertArrayEquals(new int[] {0, 80, 1015, 1186, 259, 614}, brown.encode("Once upon a time", true));
        assertArrayEquals(new int[] {80, 1015, 1186, 259, 614}, brown.encode("Once upon a time", false));
    }

    @Test
    void exposesVocabularyAndSpecialTokens() {
        assertEquals(4096, brown.vocabSize());
        assertEquals("<|endoftext|>", brown.tokenText(0));
        assertEquals("\u0120upon", brown.tokenText(1186)); // byte-level BPE spells the space as Ġ
        assertEquals(OptionalInt.of(0), brown.bosTokenId());
        assertEquals(OptionalInt.of(0), brown.eosTokenId());
        assertEquals(OptionalInt.of(1186), brown.tokenId("\u0120upon"));
        assertEquals(OptionalInt.empty(), brown.tokenId("<|eot_id|>"));
        assertThrows(IllegalArgumentException.class, () -> brown.tokenText(4096));
    }

    /** SentencePiece's byte-fallback pieces, which run.c's tokenizer has too. */
    @Test
    void exposesSentencePieceByteAndSpecialTokens() {
        assumeStories();
        assertEquals(512, tokenizer.vocabSize());
        assertEquals("<0x00>", tokenizer.tokenText(3));
        assertEquals("<0xFF>", tokenizer.tokenText(258));
        assertEquals("\u2581Once", tokenizer.tokenText(403));
        assertEquals("<s>", tokenizer.tokenText(1));
        assertEquals(OptionalInt.of(1), tokenizer.bosTokenId());
        assertEquals(OptionalInt.of(2), tokenizer.eosTokenId());
        assertEquals(OptionalInt.of(410), tokenizer.tokenId("\u2581"));
    }

    @Test
    void doesNotTruncateLongInputs() {
        String text = "Once upon a time, there was a little girl named Lily. ".repeat(100);
        int[] ids = brown.encode(text, false);
        assertTrue(ids.length > 1000, "got only " + ids.length + " tokens");
        assertEquals(text.strip(), brown.decode(ids, true).strip());
    }

    @Test
    void missingTokenizerJsonIsNamedInTheError(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextTokenizer.load(dir));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toAbsolutePath().toString()), e.getMessage());
    }

    private static int[] ids(JsonArray array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).getAsInt();
        }
        return ids;
    }
}
