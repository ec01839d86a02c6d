package dev.llmserve.systemtests;

import static dev.llmserve.systemtests.BatchApi.chatBody;
import static dev.llmserve.systemtests.BatchApi.chatLine;
import static dev.llmserve.systemtests.BatchApi.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The Batch API on the whole suite and the real model: a batch survives restarts of the gateway, of
 * the batching-service and of the Kafka broker while it runs, with every line's result exactly once
 * and equal to what the interactive API answers; a malformed line goes to the error file while the rest succeed; a
 * 10,000-line file is accepted, and cancelling its batch stops it taking lines.
 */
class BatchApiSystemTest {

    private static final String[] SUBJECTS = {"a cat", "a dog", "a big tree", "the sun", "a little girl",
        "a red ball", "the park", "a bird", "a boy named Tim", "the sea", "a small car", "a happy frog",
        "the moon", "a toy", "a kind mom", "a cake", "a lost shoe", "a blue boat", "a funny hat", "the rain"};
    private static final Duration RUN = Duration.ofMinutes(10);

    @Test
    void aBatchSurvivesRestartsOfGatewayBatchingServiceAndBrokerAndMatchesTheInteractiveApi() throws Exception {
        RunningSuite suite = RunningSuite.get();
        BatchApi api = new BatchApi(suite.gatewayUrl);
        List<String> bodies = new ArrayList<>();
        for (String subject : SUBJECTS) {
            bodies.add(chatBody("Tell me a story about " + subject + ".", 64));
            bodies.add(chatBody("Once upon a time, " + subject + " was sad.", 48));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(chatLine("line-" + i, bodies.get(i % bodies.size())));
        }
        String id = api.create(api.upload(lines));

        restartWhileRunning(suite, api, id, "gateway-service");
        restartWhileRunning(suite, api, id, "batching-service");
        restartWhileRunning(suite, api, id, "kafka");
        JsonObject batch = api.await(id, BatchApi::ended, RUN);

        assertEquals("completed", batch.get("status").getAsString(), batch.toString());
        assertEquals(200, count(batch, "total"));
        assertEquals(200, count(batch, "completed"));
        assertEquals(0, count(batch, "failed"));
        assertTrue(batch.get("error_file_id").isJsonNull());
        List<JsonObject> output = api.lines(batch.get("output_file_id").getAsString());
        assertEquals(200, output.size());
        Map<String, JsonObject> byCustomId = new HashMap<>();
        for (JsonObject line : output) {
            assertEquals(null, byCustomId.put(line.get("custom_id").getAsString(), line), "each line exactly once");
        }
        Map<String, JsonObject> interactive = interactive(api, bodies);
        for (int i = 0; i < 200; i++) {
            JsonObject line = byCustomId.get("line-" + i);
            assertEquals(200, line.getAsJsonObject("response").get("status_code").getAsInt());
            JsonObject body = line.getAsJsonObject("response").getAsJsonObject("body");
            JsonObject expected = interactive.get(bodies.get(i % bodies.size()));
            assertEquals(choice(expected), choice(body), "line-" + i + " differs from the interactive answer");
            assertEquals(tokens(expected), tokens(body), "line-" + i);
        }
    }

    @Test
    void aMalformedLineGoesToTheErrorFileWhileTheOthersSucceed() throws Exception {
        RunningSuite suite = RunningSuite.get();
        BatchApi api = new BatchApi(suite.gatewayUrl);
        List<String> lines = List.of(
                chatLine("ok-0", chatBody("Tell me a story about a cat.", 24)),
                chatLine("ok-1", chatBody("Tell me a story about a dog.", 24)),
                "{\"custom_id\":\"broken\",\"method\":\"POST\",",
                chatLine("too-hot", chatBody("Tell me a story.", 24).replace("\"temperature\":0", "\"temperature\":3")),
                chatLine("ok-2", chatBody("Tell me a story about the sea.", 24)));

        JsonObject batch = api.await(api.create(api.upload(lines)), BatchApi::ended, RUN);

        assertEquals("completed", batch.get("status").getAsString(), batch.toString());
        assertEquals(3, count(batch, "completed"));
        assertEquals(2, count(batch, "failed"));
        List<JsonObject> output = api.lines(batch.get("output_file_id").getAsString());
        assertEquals(List.of("ok-0", "ok-1", "ok-2"), output.stream().map(l -> l.get("custom_id").getAsString()).toList());
        for (JsonObject line : output) {
            assertFalse(choice(line.getAsJsonObject("response").getAsJsonObject("body")).isEmpty());
        }
        List<JsonObject> errors = api.lines(batch.get("error_file_id").getAsString());
        assertEquals(2, errors.size());
        JsonObject broken = errors.get(0).getAsJsonObject("error");
        assertEquals("invalid_json_line", broken.get("code").getAsString());
        assertTrue(broken.get("message").getAsString().contains("Line 3"), broken.toString());
        JsonObject refused = errors.get(1).getAsJsonObject("response");
        assertEquals("too-hot", errors.get(1).get("custom_id").getAsString());
        assertEquals(400, refused.get("status_code").getAsInt());
        assertEquals("temperature", refused.getAsJsonObject("body").getAsJsonObject("error").get("param").getAsString());
    }

    @Test
    void aTenThousandLineFileIsAcceptedAndCancellingItsBatchStopsItTakingLines() throws Exception {
        RunningSuite suite = RunningSuite.get();
        BatchApi api = new BatchApi(suite.gatewayUrl);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            lines.add(chatLine("n-" + i, chatBody("Tell me a story about " + SUBJECTS[i % SUBJECTS.length] + ".", 32)));
        }
        String id = api.create(api.upload(lines));
        JsonObject running = api.await(id, b -> count(b, "completed") >= 10, RUN);
        assertEquals("in_progress", running.get("status").getAsString());
        assertEquals(10_000, count(running, "total"));

        JsonObject cancelling = api.cancel(id);
        assertTrue(List.of("cancelling", "cancelled").contains(cancelling.get("status").getAsString()));
        JsonObject batch = api.await(id, BatchApi::ended, RUN);

        assertEquals("cancelled", batch.get("status").getAsString(), batch.toString());
        assertEquals(10_000, count(batch, "total"));
        int completed = count(batch, "completed");
        assertTrue(completed >= 10 && completed < 10_000, "completed " + completed);
        assertEquals(completed, api.lines(batch.get("output_file_id").getAsString()).size());
        awaitIdle(suite);
        Thread.sleep(2_000);
        assertEquals(0.0, suite.batchingMetric("llmserve_requests_running")
                + suite.batchingMetric("llmserve_requests_waiting"), "no line was taken after the cancel");
        assertEquals(batch, api.get(id), "the counts stay as reported");
    }

    /** Waits until the batch has made progress, then restarts the service while the batch still runs. */
    private static void restartWhileRunning(RunningSuite suite, BatchApi api, String id, String service)
            throws Exception {
        int before = count(api.get(id), "completed");
        JsonObject batch = api.await(id, b -> count(b, "completed") >= before + 20 || BatchApi.ended(b), RUN);
        assertEquals("in_progress", batch.get("status").getAsString(), "the batch must still run when " + service
                + " restarts: " + batch);
        long start = System.nanoTime();
        suite.restart(service);
        System.out.printf("restarted %s at %d/200 lines in %.1f s%n", service, count(batch, "completed"),
                (System.nanoTime() - start) / 1e9);
    }

    /** The interactive API's answer for each distinct body, a few requests at a time. */
    private static Map<String, JsonObject> interactive(BatchApi api, List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<String, Future<JsonObject>> answers = new HashMap<>();
            for (String body : bodies) {
                answers.put(body, pool.submit(() -> api.chat(body)));
            }
            Map<String, JsonObject> result = new HashMap<>();
            for (Map.Entry<String, Future<JsonObject>> answer : answers.entrySet()) {
                result.put(answer.getKey(), answer.getValue().get());
            }
            return result;
        } finally {
            pool.shutdown();
        }
    }

    private static String choice(JsonObject completion) {
        JsonObject choice = completion.getAsJsonArray("choices").get(0).getAsJsonObject();
        return choice.getAsJsonObject("message").get("content").getAsString() + " [" + choice.get("finish_reason") + "]";
    }

    /** The token counts; how many draft tokens were accepted depends on how each run was scheduled. */
    private static String tokens(JsonObject completion) {
        JsonObject usage = completion.getAsJsonObject("usage");
        return usage.get("prompt_tokens") + "+" + usage.get("completion_tokens") + "=" + usage.get("total_tokens");
    }

    private static void awaitIdle(RunningSuite suite) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (suite.batchingMetric("llmserve_requests_running") + suite.batchingMetric("llmserve_requests_waiting") > 0) {
            assertTrue(System.nanoTime() < deadline, "the batching-service did not become idle after the cancel");
            Thread.sleep(100);
        }
    }
}
