package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The pending-request limit (429 with Retry-After) and the request timeout. */
@GatewayIntegrationTest
@TestPropertySource(properties = {
        "llmserve.gateway.max-pending-requests=2",
        "llmserve.gateway.request-timeout=3s",
        "llmserve.gateway.retry-after=2s",
        "llmserve.gateway.max-body-size=1KB"})
class LimitsTest extends GatewayTestSupport {

    @Test
    void answers429WithRetryAfterWhenTooManyRequestsArePending() {
        try (ReplayingBatcher batcher = batcher()) {
            CompletableFuture<Api.Response> first = api().post("/v1/chat/completions", chat("one", "\"stream\":true"));
            CompletableFuture<Api.Response> second = api().post("/v1/completions",
                    "{\"model\":\"brown-6m\",\"prompt\":\"two\"}");
            GenerationRequest one = batcher.nextRequest();
            GenerationRequest two = batcher.nextRequest();
            assertThat(api().get("/actuator/prometheus").body()).contains("llmserve_gateway_requests_in_flight 2.0");

            Api.Response refused = api().post("/v1/chat/completions", chat("three", "")).join();

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("2");
            JsonNode error = refused.json().get("error");
            assertThat(error.get("type").asString()).isEqualTo("requests");
            assertThat(error.get("code").asString()).isEqualTo("rate_limit_exceeded");

            finish(batcher, one);
            finish(batcher, two);
            assertThat(first.join().status()).isEqualTo(200);
            assertThat(second.join().status()).isEqualTo(200);

            CompletableFuture<Api.Response> fourth = api().post("/v1/completions",
                    "{\"model\":\"brown-6m\",\"prompt\":[1,42],\"max_tokens\":1}");
            GenerationRequest next = batcher.nextRequest();
            assertThat(next.promptTokens()).as("the refused request was never published").containsExactly(1, 42);
            finish(batcher, next);
            assertThat(fourth.join().status()).isEqualTo(200);
        }
    }

    @Test
    void aRequestThatRunsTooLongIsCancelledWithAnError() {
        try (ReplayingBatcher batcher = batcher(); TopicReader cancels = reader(Topics.CANCELS)) {
            CompletableFuture<Api.Response> response = api().post("/v1/completions",
                    "{\"model\":\"brown-6m\",\"prompt\":\"Once\"}");
            GenerationRequest request = batcher.nextRequest();

            Api.Response answer = response.join();

            assertThat(answer.status()).isEqualTo(504);
            assertThat(answer.json().get("error").get("code").asString()).isEqualTo("timeout");
            awaitCancel(cancels, request.requestId(), Duration.ofSeconds(10));
        }
    }

    @Test
    void refusesBodiesOverTheSizeLimit() {
        Api.Response response = api().post("/v1/completions",
                "{\"model\":\"brown-6m\",\"prompt\":\"" + "a".repeat(2000) + "\"}").join();

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").get("message").asString()).contains("larger than 1024 bytes");
    }

    private static void finish(ReplayingBatcher batcher, GenerationRequest request) {
        batcher.send(request, List.of(new TokenEvent(request.requestId(), 0, List.of(0), "", List.of(), "stop", null, null)));
    }
}
