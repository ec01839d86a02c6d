package dev.llmserve.gateway;

import static dev.llmserve.gateway.BatchClient.ENDED;
import static dev.llmserve.gateway.BatchClient.chatLine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The Batch API against the real gateway and broker, with the test playing the batching-service:
 * OpenAI's object shapes and lifecycle, each line run exactly like an API request (priority "batch"),
 * malformed lines in the error file with their reason, cancelling, and lines run again when their
 * request is lost or fails.
 */
@BatchIntegrationTest
class BatchesTest extends GatewayTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHAT = "/v1/chat/completions";

    private BatchClient client() {
        return new BatchClient(api());
    }

    @Test
    void runsEachLineAsABatchRequestAndWritesTheOutputAndErrorFiles() throws Exception {
        String refused = chat("hi", "\"temperature\":5");
        List<String> lines = List.of(
                chatLine("a", "Once upon a time", "\"max_tokens\":5,\"temperature\":0"),
                "{not json",
                "{\"custom_id\":\"c\",\"method\":\"POST\",\"url\":\"/v1/completions\",\"body\":"
                        + "{\"model\":\"brown-6m\",\"prompt\":\"x\"}}",
                "{\"custom_id\":\"d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":" + refused + "}",
                "{\"custom_id\":\"e\",\"method\":\"POST\",\"url\":\"/v1/embeddings\",\"body\":{}}",
                chatLine("f", "Tell me a story", "\"max_tokens\":3"),
                chatLine("a", "again", ""),
                "{\"custom_id\":\"g\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                        + "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}}");
        try (ReplayingBatcher batcher = batcher()) {
            String fileId = client().upload(lines);
            JsonNode created = client().create(fileId, CHAT);

            assertThat(created.get("id").asString()).startsWith("batch_");
            assertThat(created.get("object").asString()).isEqualTo("batch");
            assertThat(created.get("endpoint").asString()).isEqualTo(CHAT);
            assertThat(created.get("input_file_id").asString()).isEqualTo(fileId);
            assertThat(created.get("completion_window").asString()).isEqualTo("24h");
            assertThat(created.get("status").asString()).isEqualTo("validating");
            assertThat(created.get("expires_at").asLong() - created.get("created_at").asLong()).isEqualTo(24 * 3600);
            assertThat(created.get("output_file_id").isNull()).isTrue();

            Map<Integer, GenerationRequest> byMaxTokens = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                GenerationRequest request = batcher.nextRequest();
                byMaxTokens.put(request.stop().maxTokens(), request);
                assertThat(request.priority()).isEqualTo(Priority.BATCH);
            }
            String metrics = api().get("/actuator/prometheus").body();
            assertThat(metrics).as("batch lines take no interactive places")
                    .contains("llmserve_gateway_requests_in_flight 0.0")
                    .contains("llmserve_gateway_batch_lines_in_flight 2.0");
            GenerationRequest a = byMaxTokens.get(5);
            GenerationRequest f = byMaxTokens.get(3);
            assertThat(a.sampling().temperature()).isZero();
            List<TokenEvent> aEvents = ReplayingBatcher.events(a, tokenizer, ReferenceGeneration.generatedIds());
            List<TokenEvent> fEvents = ReplayingBatcher.events(f, tokenizer, ReferenceGeneration.generatedIds());
            batcher.send(a, aEvents);
            batcher.send(f, fEvents);

            JsonNode batch = client().await(created.get("id").asString(), ENDED, WAIT);

            assertThat(batch.get("status").asString()).isEqualTo("completed");
            assertThat(batch.get("request_counts").get("total").asInt()).isEqualTo(8);
            assertThat(batch.get("request_counts").get("completed").asInt()).isEqualTo(2);
            assertThat(batch.get("request_counts").get("failed").asInt()).isEqualTo(6);
            for (String field : List.of("in_progress_at", "finalizing_at", "completed_at")) {
                assertThat(batch.get(field).asLong()).as(field).isGreaterThanOrEqualTo(created.get("created_at").asLong());
            }
            assertThat(batch.get("failed_at").isNull()).isTrue();

            List<JsonNode> output = client().lines(batch.get("output_file_id").asString());
            assertThat(output).extracting(line -> line.get("custom_id").asString()).containsExactly("a", "f");
            assertSucceeded(output.get(0), a, text(aEvents));
            assertSucceeded(output.get(1), f, text(fEvents));

            List<JsonNode> errors = client().lines(batch.get("error_file_id").asString());
            assertThat(errors).extracting(line -> line.get("custom_id").isNull() ? null : line.get("custom_id").asString())
                    .containsExactly(null, "c", "d", "e", "a", "g");
            assertThat(lineError(errors.get(0))).isEqualTo("invalid_json_line");
            assertThat(lineError(errors.get(1))).isEqualTo("mismatched_endpoint");
            assertThat(lineError(errors.get(3))).isEqualTo("invalid_url");
            assertThat(lineError(errors.get(4))).isEqualTo("duplicate_custom_id");
            assertThat(errors.get(0).get("error").get("message").asString()).contains("Line 2");
            JsonNode interactive = api().post(CHAT, refused).join().json();
            assertThat(errors.get(2).get("response").get("status_code").asInt()).isEqualTo(400);
            assertThat(errors.get(2).get("response").get("body")).as("validated as the API validates it")
                    .isEqualTo(interactive);
            assertThat(errors.get(2).get("error").isNull()).isTrue();
            assertThat(errors.get(5).get("response").get("status_code").asInt()).isEqualTo(404);
            assertThat(errors.get(5).get("response").get("body").get("error").get("code").asString())
                    .isEqualTo("model_not_found");
            Set<String> ids = new HashSet<>();
            Stream.concat(output.stream(), errors.stream()).forEach(line -> ids.add(line.get("id").asString()));
            assertThat(ids).hasSize(8).allMatch(id -> id.startsWith("batch_req_"));

            JsonNode outputFile = api().get("/v1/files/" + batch.get("output_file_id").asString()).json();
            assertThat(outputFile.get("purpose").asString()).isEqualTo("batch_output");
            assertThat(outputFile.get("bytes").asLong())
                    .isEqualTo(client().content(batch.get("output_file_id").asString()).getBytes().length);
        }
    }

    @Test
    void aCancelledBatchStopsTakingLinesAndReportsItsCounts() throws Exception {
        List<String> lines = IntStream.range(0, 5)
                .mapToObj(i -> chatLine("line-" + i, "Once upon a time", "\"max_tokens\":1")).toList();
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            String id = client().create(client().upload(lines), CHAT).get("id").asString();
            GenerationRequest first = batcher.nextRequest();
            GenerationRequest second = batcher.nextRequest();
            finish(batcher, first);
            GenerationRequest third = batcher.nextRequest();
            awaitCounts(id, 1);

            Api.Response cancelling = api().post("/v1/batches/" + id + "/cancel", "").join();

            assertThat(cancelling.status()).as(cancelling.body()).isEqualTo(200);
            assertThat(cancelling.json().get("status").asString()).isIn("cancelling", "cancelled");
            assertThat(cancelling.json().get("cancelling_at").asLong()).isPositive();
            Set<String> cancelled = new HashSet<>();
            Set<String> inFlight = Set.of(second.requestId(), third.requestId());
            cancels.readUntil(record -> cancelled.add(MessageCodec.decodeCancel(record.value()).requestId())
                    && cancelled.containsAll(inFlight), WAIT);
            assertThat(cancelled).as("the lines in flight were cancelled").containsAll(inFlight);
            JsonNode batch = client().await(id, ENDED, WAIT);
            assertThat(batch.get("status").asString()).isEqualTo("cancelled");
            assertThat(batch.get("cancelled_at").asLong()).isGreaterThanOrEqualTo(batch.get("cancelling_at").asLong());
            assertThat(batch.get("request_counts").get("total").asInt()).isEqualTo(5);
            assertThat(batch.get("request_counts").get("completed").asInt()).isEqualTo(1);
            assertThat(batch.get("request_counts").get("failed").asInt()).isZero();
            assertThat(client().lines(batch.get("output_file_id").asString()))
                    .extracting(line -> line.get("response").get("request_id").asString())
                    .containsExactly(first.requestId());
            assertThat(batch.get("error_file_id").isNull()).isTrue();
            assertThat(batcher.requestsWithin(Duration.ofSeconds(2))).as("no line started after the cancel").isEmpty();

            Api.Response again = api().post("/v1/batches/" + id + "/cancel", "").join();
            assertThat(again.status()).isEqualTo(409);
        }
    }

    @Test
    void aLineWhoseRequestGetsNoAnswerRunsAgainUnderAFreshId() throws Exception {
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            String id = client().create(client().upload(List.of(chatLine("only", "Once upon a time",
                    "\"max_tokens\":4"))), CHAT).get("id").asString();
            GenerationRequest lost = batcher.nextRequest();

            GenerationRequest again = batcher.nextRequest();

            assertThat(again.requestId()).isNotEqualTo(lost.requestId());
            assertThat(again.promptTokens()).isEqualTo(lost.promptTokens());
            awaitCancel(cancels, lost.requestId(), WAIT);
            finish(batcher, lost);
            finish(batcher, again);
            JsonNode batch = client().await(id, ENDED, WAIT);
            assertThat(batch.get("request_counts").get("completed").asInt()).isEqualTo(1);
            List<JsonNode> output = client().lines(batch.get("output_file_id").asString());
            assertThat(output).hasSize(1);
            assertThat(output.get(0).get("response").get("request_id").asString()).isEqualTo(again.requestId());
            assertThat(api().get("/actuator/prometheus").body())
                    .contains("llmserve_gateway_batch_line_retries_total{reason=\"no_progress\"}");
        }
    }

    @Test
    void aLineTheSchedulerKeepsFailingGoesToTheErrorFileAfterItsAttempts() throws Exception {
        try (ReplayingBatcher batcher = batcher()) {
            String id = client().create(client().upload(List.of(chatLine("doomed", "hi", "\"max_tokens\":4"))), CHAT)
                    .get("id").asString();
            GenerationRequest first = batcher.nextRequest();
            fail(batcher, first);
            GenerationRequest second = batcher.nextRequest();
            fail(batcher, second);

            JsonNode batch = client().await(id, ENDED, WAIT);

            assertThat(batch.get("status").asString()).isEqualTo("completed");
            assertThat(batch.get("request_counts").get("failed").asInt()).isEqualTo(1);
            JsonNode line = client().lines(batch.get("error_file_id").asString()).get(0);
            assertThat(line.get("custom_id").asString()).isEqualTo("doomed");
            assertThat(line.get("response").get("status_code").asInt()).isEqualTo(500);
            assertThat(line.get("response").get("request_id").asString()).isEqualTo(second.requestId());
            assertThat(line.get("response").get("body").get("error").get("message").asString()).contains("boom");
            assertThat(batcher.requestsWithin(Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void aFileWithoutRequestsFailsTheBatch() throws Exception {
        Api.Response upload = api().upload("blank.jsonl", "\n  \n".getBytes(), "batch");
        String id = client().create(upload.json().get("id").asString(), CHAT).get("id").asString();

        JsonNode batch = client().await(id, ENDED, WAIT);

        assertThat(batch.get("status").asString()).isEqualTo("failed");
        assertThat(batch.get("failed_at").asLong()).isPositive();
        assertThat(batch.get("errors").get("object").asString()).isEqualTo("list");
        assertThat(batch.get("errors").get("data").get(0).get("code").asString()).isEqualTo("empty_file");
    }

    @Test
    void listsBatchesNewestFirstPageByPage() throws Exception {
        String fileId = client().upload(List.of("{not json"));
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(client().create(fileId, CHAT).get("id").asString());
        }
        for (String id : mine) {
            client().await(id, ENDED, WAIT);
        }
        List<JsonNode> all = new ArrayList<>();
        JsonNode page = api().get("/v1/batches?limit=2").json();
        assertThat(page.get("object").asString()).isEqualTo("list");
        assertThat(page.get("data")).hasSize(2);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        while (true) {
            page.get("data").forEach(all::add);
            assertThat(page.get("first_id").asString()).isEqualTo(page.get("data").get(0).get("id").asString());
            assertThat(page.get("last_id").asString())
                    .isEqualTo(page.get("data").get(page.get("data").size() - 1).get("id").asString());
            if (!page.get("has_more").asBoolean()) {
                break;
            }
            page = api().get("/v1/batches?limit=2&after=" + page.get("last_id").asString()).json();
        }
        List<String> ids = all.stream().map(batch -> batch.get("id").asString()).toList();
        assertThat(ids).doesNotHaveDuplicates().containsAll(mine);
        assertThat(all).extracting(batch -> batch.get("created_at").asLong())
                .isSortedAccordingTo((x, y) -> Long.compare(y, x));
        assertThat(api().get("/v1/batches?limit=0").status()).isEqualTo(400);
    }

    static Stream<Arguments> badBatches() {
        return Stream.of(
                Arguments.of("{\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}", "input_file_id"),
                Arguments.of(body("file-unknown", CHAT, "24h", ""), "input_file_id"),
                Arguments.of(body(null, "/v1/embeddings", "24h", ""), "endpoint"),
                Arguments.of(body(null, CHAT, "1h", ""), "completion_window"),
                Arguments.of(body(null, CHAT, "24h", ",\"metadata\":" + IntStream.range(0, 17)
                        .mapToObj(i -> "\"k" + i + "\":\"v\"").collect(Collectors.joining(",", "{", "}"))), "metadata"),
                Arguments.of(body(null, CHAT, "24h", ",\"metadata\":{\"k\":1}"), "metadata.k"),
                Arguments.of("{\"input_file_id\":", null));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badBatches")
    void refusesABadBatchWithAnOpenAiError(String body, String param) {
        String fileId = client().upload(List.of(chatLine("x", "hi", "")));
        Api.Response response = api().post("/v1/batches", body.replace("FILE", fileId)).join();

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json().get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
    }

    @Test
    void answers404ForAnUnknownBatch() {
        assertThat(api().get("/v1/batches/batch_nope").status()).isEqualTo(404);
        assertThat(api().post("/v1/batches/batch_nope/cancel", "").join().status()).isEqualTo(404);
    }

    private static String body(String fileId, String endpoint, String window, String extra) {
        return "{\"input_file_id\":\"" + (fileId != null ? fileId : "FILE") + "\",\"endpoint\":\"" + endpoint
                + "\",\"completion_window\":\"" + window + "\"" + extra + "}";
    }

    private void awaitCounts(String id, int completed) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (client().get(id).get("request_counts").get("completed").asInt() < completed) {
            assertThat(System.nanoTime()).as("batch %s never reached %d completed", id, completed).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void assertSucceeded(JsonNode line, GenerationRequest request, String text) {
        assertThat(line.get("id").asString()).startsWith("batch_req_");
        assertThat(line.get("error").isNull()).isTrue();
        JsonNode response = line.get("response");
        assertThat(response.get("status_code").asInt()).isEqualTo(200);
        assertThat(response.get("request_id").asString()).isEqualTo(request.requestId());
        JsonNode body = response.get("body");
        assertThat(body.get("id").asString()).isEqualTo(request.requestId());
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("model").asString()).isEqualTo(MODEL);
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("content").asString()).isEqualTo(text);
        assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(request.stop().maxTokens());
    }

    private static String lineError(JsonNode line) {
        assertThat(line.get("response").isNull()).isTrue();
        return line.get("error").get("code").asString();
    }

    private static String text(List<TokenEvent> events) {
        return events.stream().map(TokenEvent::text).collect(Collectors.joining());
    }

    private static void finish(ReplayingBatcher batcher, GenerationRequest request) {
        batcher.send(request, ReplayingBatcher.events(request, tokenizer, ReferenceGeneration.generatedIds()));
    }

    private static void fail(ReplayingBatcher batcher, GenerationRequest request) {
        batcher.send(request, List.of(new TokenEvent(request.requestId(), 0, List.of(), "", List.of(), "error", null,
                "boom")));
    }
}
