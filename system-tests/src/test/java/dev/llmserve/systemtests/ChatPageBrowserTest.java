package dev.llmserve.systemtests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The gateway's chat page in a real browser against the running suite: Debian's chromium, headless,
 * driven by playwright-core (src/test/browser/chat-page.mjs, one scenario per run, printing what it
 * saw as JSON). The suite speculates with a draft, so replies carry a draft acceptance rate.
 */
@EnabledIf(value = "browserToolsPresent", disabledReason = "node, npm or chromium (/usr/bin/chromium, or $CHROMIUM) "
        + "is missing: skipping the chat page browser tests (apt-get install -y chromium)")
class ChatPageBrowserTest {

    private static final Path SCRIPT_DIR = Path.of("src/test/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    static boolean browserToolsPresent() {
        return onPath("node") && onPath("npm") && Files.isExecutable(CHROMIUM);
    }

    @BeforeAll
    static void installPlaywrightCore() throws Exception {
        if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), null);
        }
    }

    @Test
    void streamsTheReplyAsItIsGeneratedWithItsFigures() throws Exception {
        RunningSuite suite = RunningSuite.get();
        JsonObject seen = scenario(suite, "stream");

        List<String> snapshots = new ArrayList<>();
        seen.getAsJsonArray("snapshots").forEach(s -> snapshots.add(s.getAsJsonObject().get("text").getAsString()));
        JsonObject reply = seen.getAsJsonObject("reply");
        assertEquals("done", reply.get("state").getAsString());
        assertTrue(snapshots.size() >= 3, "the text grew over several observations: " + snapshots);
        for (int i = 1; i < snapshots.size(); i++) {
            assertTrue(snapshots.get(i).startsWith(snapshots.get(i - 1)) && snapshots.get(i).length()
                    > snapshots.get(i - 1).length(), "each observation extends the last: " + snapshots);
        }
        assertEquals(reply.get("text").getAsString(), snapshots.get(snapshots.size() - 1));
        String expected;
        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            expected = reference.chat("Tell me a story about a cat.", 100);
        }
        assertEquals(words(expected), words(reply.get("text").getAsString()), "the page shows the greedy reply");

        JsonObject stats = reply.getAsJsonObject("stats");
        assertTrue(stats.get("ttftMs").getAsDouble() > 0, stats.toString());
        assertTrue(stats.get("tokensPerSecond").getAsDouble() > 0, stats.toString());
        assertTrue(stats.get("completionTokens").getAsInt() <= 100, stats.toString());
        double acceptance = stats.get("acceptanceRate").getAsDouble();
        assertTrue(acceptance > 0 && acceptance <= 1, "the draft (the model itself) had its tokens accepted: " + stats);
        String line = reply.get("statsLine").getAsString();
        assertTrue(line.contains("TTFT") && line.contains("tokens/s") && line.contains("draft acceptance"), line);

        JsonObject request = seen.getAsJsonArray("requests").get(0).getAsJsonObject();
        assertTrue(request.get("stream").getAsBoolean());
        assertTrue(request.getAsJsonObject("stream_options").get("include_usage").getAsBoolean());
        assertPng(TARGET.resolve("chat-page.png"));
        assertNoPageErrors(seen);
    }

    @Test
    void stopEndsTheReplyAndTheServerCancelsTheRequest() throws Exception {
        RunningSuite suite = RunningSuite.get();
        suite.awaitIdle(30_000);
        JsonObject seen = scenario(suite, "stop");

        assertEquals(1, seen.get("runningAtStop").getAsInt(), "the request was running when Stop was pressed");
        JsonObject reply = seen.getAsJsonObject("reply");
        assertEquals("stopped", reply.get("state").getAsString());
        String text = reply.get("text").getAsString();
        assertFalse(text.isBlank());
        assertEquals(seen.get("textAtStop").getAsString(), text, "nothing was added after Stop");
        String full;
        try (ReferenceGenerations reference = new ReferenceGenerations(suite.modelDir)) {
            full = reference.chat("Tell me a long story.", 450);
        }
        assertTrue(words(full).startsWith(words(text)) && words(full).length() > words(text).length(),
                "the reply was cut short of the 450-token greedy reply: " + text);
        assertFalse(seen.get("idleAfterMs").isJsonNull(), "batching-service still runs the request 5 s after Stop");
        assertTrue(seen.get("idleAfterMs").getAsLong() <= 2_000, "running count fell to 0 after "
                + seen.get("idleAfterMs") + " ms");
        assertEquals(0.0, suite.batchingMetric("llmserve_requests_running"));
        assertTrue(seen.get("sendEnabled").getAsBoolean());
        assertFalse(seen.get("stopEnabled").getAsBoolean());
        JsonArray failed = seen.getAsJsonArray("failedRequests");
        assertEquals(1, failed.size(), failed.toString());
        assertTrue(failed.get(0).getAsString().matches(".*/v1/chat/completions net::ERR_ABORTED"),
                "the browser aborted the streaming request: " + failed);
        assertNoUncaughtErrors(seen);
    }

    @Test
    void theSameSeedGivesTheSameReplyAndAnotherSeedAnother() throws Exception {
        JsonObject seen = scenario(RunningSuite.get(), "seeds");

        JsonArray replies = seen.getAsJsonArray("replies");
        JsonArray requests = seen.getAsJsonArray("requests");
        for (int i = 0; i < 3; i++) {
            assertFalse(replies.get(i).getAsString().isBlank());
            assertEquals(1.0, requests.get(i).getAsJsonObject().get("temperature").getAsDouble());
        }
        assertEquals(7, requests.get(1).getAsJsonObject().get("seed").getAsInt());
        assertEquals(8, requests.get(2).getAsJsonObject().get("seed").getAsInt());
        assertEquals(replies.get(0), replies.get(1), "seed 7 twice");
        assertNotEquals(replies.get(0), replies.get(2), "seed 7 and seed 8");
        assertNoPageErrors(seen);
    }

    @Test
    void everyControlBecomesARequestFieldAndTheConversationContinues() throws Exception {
        JsonObject seen = scenario(RunningSuite.get(), "controls");

        JsonArray requests = seen.getAsJsonArray("requests");
        assertEquals(2, requests.size());
        JsonObject first = requests.get(0).getAsJsonObject();
        assertEquals(0.7, first.get("temperature").getAsDouble(), 1e-9);
        assertEquals(0.9, first.get("top_p").getAsDouble(), 1e-9);
        assertEquals(40, first.get("top_k").getAsInt());
        assertEquals(0.05, first.get("min_p").getAsDouble(), 1e-9);
        assertEquals(30, first.get("max_tokens").getAsInt());
        assertEquals(11, first.get("seed").getAsInt());
        assertFalse(first.get("speculative").getAsBoolean());
        assertArrayEquals(new String[] {"system", "user"}, roles(first));

        JsonObject second = requests.get(1).getAsJsonObject();
        assertArrayEquals(new String[] {"system", "user", "assistant", "user"}, roles(second));
        JsonArray messages = second.getAsJsonArray("messages");
        assertEquals("You tell short stories.", messages.get(0).getAsJsonObject().get("content").getAsString());
        assertEquals(words(seen.getAsJsonObject("first").get("text").getAsString()),
                words(messages.get(2).getAsJsonObject().get("content").getAsString()), "the first reply is sent back");
        for (String reply : new String[] {"first", "second"}) {
            JsonObject r = seen.getAsJsonObject(reply);
            assertEquals("done", r.get("state").getAsString());
            assertFalse(r.getAsJsonObject("stats").has("acceptanceRate"), "speculation was off: " + r);
            assertFalse(r.get("statsLine").getAsString().contains("draft"), r.toString());
        }
        assertNoPageErrors(seen);
    }

    @Test
    void markupInMessagesAndRepliesStaysText() throws Exception {
        JsonObject seen = scenario(RunningSuite.get(), "xss");

        assertEquals(0, seen.get("injected").getAsInt(), "no img, script, svg, iframe or link element was created");
        assertTrue(seen.get("xssFlag").isJsonNull(), "no injected script ran");
        assertEquals(0, seen.getAsJsonArray("dialogs").size(), "no alert");
        assertEquals(seen.get("typed").getAsString(), seen.get("user").getAsString(), "the user's markup shown as typed");
        String hostile = seen.get("hostile").getAsString();
        assertTrue(hostile.contains("<img src=x onerror=\"window.__xss='reply'\">"), hostile);
        assertTrue(hostile.contains("<script>window.__xss='reply script'</script>"), hostile);
        assertTrue(seen.getAsJsonArray("codeBlocks").get(0).getAsString().startsWith("<script>"),
                "a fenced block shows its markup as code");
        assertEquals("bold", seen.getAsJsonArray("strong").get(0).getAsString(), "Markdown still renders");
        assertNoPageErrors(seen);
    }

    @Test
    void apiErrorsAreMessagesInTheConversation() throws Exception {
        JsonObject seen = scenario(RunningSuite.get(), "error");

        JsonObject failed = seen.getAsJsonObject("failed");
        assertEquals("error", failed.get("state").getAsString());
        String error = failed.get("error").getAsString();
        assertTrue(error.contains("400") && error.contains("maximum context length"), error);
        JsonObject after = seen.getAsJsonObject("after");
        assertEquals("done", after.get("state").getAsString(), "the page stays usable");
        assertFalse(after.get("text").getAsString().isBlank());
        assertEquals(4, seen.get("messages").getAsInt(), "both turns and both answers are on screen");
        assertNoPageErrors(seen);
    }

    @Test
    void fitsAPhoneScreenWithoutHorizontalScrolling() throws Exception {
        JsonObject seen = scenario(RunningSuite.get(), "phone");

        assertEquals("done", seen.getAsJsonObject("sent").get("state").getAsString());
        for (JsonElement l : seen.getAsJsonArray("layouts")) {
            JsonObject layout = l.getAsJsonObject();
            assertEquals(375, layout.get("width").getAsInt());
            assertTrue(layout.get("documentScrollWidth").getAsInt() <= 375, layout.toString());
            assertTrue(layout.get("bodyScrollWidth").getAsInt() <= 375, layout.toString());
            assertTrue(layout.getAsJsonArray("outside").isEmpty(), "wider than the screen: " + layout);
        }
        assertPng(TARGET.resolve("chat-page-phone.png"));
        assertNoPageErrors(seen);
    }

    private static JsonObject scenario(RunningSuite suite, String name) throws Exception {
        String output = run(List.of("node", "chat-page.mjs", name), suite);
        return JsonParser.parseString(output.lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    }

    private static String run(List<String> command, RunningSuite suite) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(SCRIPT_DIR.toFile()).redirectErrorStream(true);
        if (suite != null) {
            builder.environment().put("LLMSERVE_GATEWAY_URL", suite.gatewayUrl);
            builder.environment().put("LLMSERVE_BATCHING_URL", suite.batchingUrl);
            builder.environment().put("LLMSERVE_SCREENSHOT_DIR", TARGET.toString());
            builder.environment().put("CHROMIUM", CHROMIUM.toString());
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(5, TimeUnit.MINUTES) ? process.exitValue() : -1,
                String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    private static void assertNoPageErrors(JsonObject seen) {
        assertTrue(seen.getAsJsonArray("failedRequests").isEmpty(), "requests failed: " + seen);
        assertNoUncaughtErrors(seen);
    }

    /** No uncaught error; the browser's own log of an HTTP error status (the error scenario's 400) aside. */
    private static void assertNoUncaughtErrors(JsonObject seen) {
        assertTrue(seen.getAsJsonArray("pageErrors").isEmpty(), "uncaught errors in the page: " + seen);
        for (JsonElement e : seen.getAsJsonArray("consoleErrors")) {
            assertTrue(e.getAsString().startsWith("Failed to load resource"), "console error: " + e);
        }
    }

    private static void assertPng(Path file) throws Exception {
        assertTrue(Files.size(file) > 1000, file + " is too small for a screenshot");
        byte[] head = Arrays.copyOf(Files.readAllBytes(file), PNG.length);
        assertArrayEquals(PNG, head, file + " is not a PNG");
    }

    private static String[] roles(JsonObject request) {
        List<String> roles = new ArrayList<>();
        request.getAsJsonArray("messages").forEach(m -> roles.add(m.getAsJsonObject().get("role").getAsString()));
        return roles.toArray(String[]::new);
    }

    /** The text as the page shows it: Markdown paragraphs and a reply's leading space aside, the same words. */
    private static String words(String text) {
        return text.strip().replaceAll("\\s+", " ");
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
