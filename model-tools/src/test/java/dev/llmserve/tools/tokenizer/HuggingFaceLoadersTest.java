package dev.llmserve.tools.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The written tokenizer.json loads in DJL's HuggingFaceTokenizer and in Hugging Face's official
 * {@code tokenizers} library (its Node binding, from npm, src/test/node): both give the same ids on
 * every kind of text, put {@code <|endoftext|>} first when special tokens are asked for, and decode
 * every text back byte for byte.
 */
class HuggingFaceLoadersTest {

    private static final Path NODE_DIR = Path.of("src/test/node");

    @Test
    void djlEncodesAndDecodesEveryTextBackExactly() throws Exception {
        try (HuggingFaceTokenizer djl = djl()) {
            for (String text : texts()) {
                long[] ids = djl.encode(text, false, false).getIds();
                long[] withSpecial = djl.encode(text, true, false).getIds();
                assertEquals(text, djl.decode(ids, false), () -> "decode(encode(x)) for " + quoted(text));
                assertEquals(SpecialTokens.END_OF_TEXT_ID, withSpecial[0], () -> "BOS first for " + quoted(text));
                assertArrayEquals(ids, Arrays.copyOfRange(withSpecial, 1, withSpecial.length));
            }
            long[] english = djl.encode("The Parliament adopted the resolution.", false, false).getIds();
            assertEquals(6, english.length, "common English words are single tokens");
        }
    }

    @Test
    void officialNodeBindingGivesTheSameIdsAsDjl(@TempDir Path tmp) throws Exception {
        assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are not installed: skipping the check with Hugging Face's tokenizers Node binding");
        List<String> texts = texts();
        Path textsFile = tmp.resolve("texts.json");
        Files.writeString(textsFile, new Gson().toJson(texts), StandardCharsets.UTF_8);
        if (!Files.isDirectory(NODE_DIR.resolve("node_modules/tokenizers"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"));
        }
        String output = run(List.of("node", "hf-tokenizers.mjs",
                EuroparlTokenizer.dir().resolve("tokenizer.json").toAbsolutePath().toString(),
                textsFile.toAbsolutePath().toString()));
        JsonObject node = JsonParser.parseString(output.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
        assertEquals(BpeTrainer.DEFAULT_VOCAB_SIZE, node.get("vocabSize").getAsInt());

        JsonArray results = node.getAsJsonArray("results");
        assertEquals(texts.size(), results.size());
        try (HuggingFaceTokenizer djl = djl()) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                JsonObject result = results.get(i).getAsJsonObject();
                assertArrayEquals(djl.encode(text, false, false).getIds(), ids(result.getAsJsonArray("ids")),
                        () -> "ids of " + quoted(text));
                assertArrayEquals(djl.encode(text, true, false).getIds(), ids(result.getAsJsonArray("idsWithSpecial")),
                        () -> "ids with special tokens of " + quoted(text));
                assertEquals(text, result.get("decoded").getAsString(), () -> "Node decode of " + quoted(text));
                assertEquals(SpecialTokens.END_OF_TEXT + text, result.get("decodedWithSpecial").getAsString());
            }
        }
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>(TestTexts.varied());
        texts.addAll(EuroparlTokenizer.corpus().validation().subList(0, 5));
        texts.addAll(TestTexts.random(300, 20240119L));
        return texts;
    }

    private static HuggingFaceTokenizer djl() throws Exception {
        return HuggingFaceTokenizer.newInstance(EuroparlTokenizer.dir().resolve("tokenizer.json"),
                Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false"));
    }

    private static long[] ids(JsonArray array) {
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = array.get(i).getAsLong();
        }
        return ids;
    }

    private static String quoted(String text) {
        return new Gson().toJson(text.length() > 80 ? text.substring(0, 80) + "…" : text);
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(5, TimeUnit.MINUTES) ? process.exitValue() : -1,
                String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
