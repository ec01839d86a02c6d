package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official `openai` npm package, unchanged, runs a batch: files.create, batches.create,
 * batches.retrieve until completed, files.content and batches.list (src/test/node/openai-batch.mjs).
 */
class OpenAiNodeBatchTest {

    private static final Path CLIENT_DIR = Path.of("src/test/node");
    private static final List<String> PROMPTS = List.of("Tell me a story about a cat.",
            "Tell me a story about a dog.", "Once upon a time, the moon was sad.");
    private static final int MAX_TOKENS = 40;

    @Test
    void filesCreateBatchesCreateRetrieveAndFilesContentWork() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: skipping the npm client test");
        RunningSuite suite = RunningSuite.get();
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/openai"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
        }
        String output = run(List.of("node", "openai-batch.mjs"), Map.of(
                "LLMSERVE_BASE_URL", suite.gatewayUrl + "/v1",
                "LLMSERVE_PROMPTS", new Gson().toJson(PROMPTS),
                "LLMSERVE_MAX_TOKENS", Integer.toString(MAX_TOKENS)));
        JsonObject result = JsonParser.parseString(output.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();

        assertEquals("batch", result.get("filePurpose").getAsString());
        assertTrue(result.get("fileBytes").getAsLong() > 0);
        assertEquals("validating", result.get("createdStatus").getAsString());
        assertEquals("completed", result.get("status").getAsString(), output);
        assertEquals(PROMPTS.size(), result.getAsJsonObject("counts").get("completed").getAsInt());
        assertEquals("system-tests", result.getAsJsonObject("metadata").get("suite").getAsString());
        assertTrue(result.get("listed").getAsBoolean(), "batches.list pages to the batch");
        JsonObject outputs = result.getAsJsonObject("outputs");
        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertEquals(reference.chat(PROMPTS.get(i), MAX_TOKENS), outputs.get("node-" + i).getAsString(),
                        "node-" + i);
            }
        }
    }

    private static String run(List<String> command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT_DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
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
