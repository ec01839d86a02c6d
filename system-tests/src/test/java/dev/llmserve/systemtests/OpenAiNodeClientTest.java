package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The official `openai` npm package, unchanged, streams from the gateway (src/test/node). */
class OpenAiNodeClientTest {

    private static final Path CLIENT_DIR = Path.of("src/test/node");

    @Test
    void createStreamAndStreamHelperBothWork() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed: skipping the npm client test");
        RunningSuite suite = RunningSuite.get();
        if (!Files.isDirectory(CLIENT_DIR.resolve("node_modules/openai"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), null);
        }
        String prompt = "Tell me a story about a cat.";
        String output = run(List.of("node", "openai-client.mjs"), suite.gatewayUrl + "/v1", prompt);
        JsonObject result = JsonParser.parseString(output.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();

        String expected;
        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            expected = reference.chat(prompt, 40);
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, result.get("created").getAsString());
        assertEquals(expected, result.get("helperDeltas").getAsString());
        assertEquals(expected, result.get("helperFinal").getAsString());
        assertFalse(result.get("finishReason").isJsonNull());
        assertEquals(result.get("finishReason").getAsString(), result.get("helperFinishReason").getAsString());
    }

    private static String run(List<String> command, String baseUrl, String... prompt) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT_DIR.toFile()).redirectErrorStream(true);
        if (baseUrl != null) {
            builder.environment().put("LLMSERVE_BASE_URL", baseUrl);
            builder.environment().put("LLMSERVE_PROMPT", prompt[0]);
            builder.environment().put("LLMSERVE_MAX_TOKENS", "40");
        }
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
