package dev.llmserve.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /v1/models, health and the Prometheus metrics. */
@GatewayIntegrationTest
class ModelsAndMetricsTest extends GatewayTestSupport {

    @Test
    void listsTheServedModelWithItsContextLength() {
        JsonNode list = api().get("/v1/models").json();

        assertThat(list.get("object").asString()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(1);
        JsonNode card = list.get("data").get(0);
        assertThat(card.get("id").asString()).isEqualTo(MODEL);
        assertThat(card.get("object").asString()).isEqualTo("model");
        assertThat(card.get("owned_by").asString()).isEqualTo("llmserve");
        assertThat(card.get("max_model_len").asInt()).isEqualTo(512);
        assertThat(card.get("created").asLong()).isPositive();

        assertThat(api().get("/v1/models/" + MODEL).json().get("id").asString()).isEqualTo(MODEL);
        Api.Response unknown = api().get("/v1/models/gpt-4o");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").get("code").asString()).isEqualTo("model_not_found");
    }

    @Test
    void isHealthyOnceItsReplyTopicIsAssigned() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Api.Response health = api().get("/actuator/health");
        while (health.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            health = api().get("/actuator/health");
        }
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        assertThat(health.json().get("components").get("replyTopic").get("status").asString()).isEqualTo("UP");
    }

    @Test
    void countsRequestsByEndpointAndStatus() {
        api().get("/v1/models");
        api().post("/v1/chat/completions", chat("hi", "\"temperature\":5")).join();

        String metrics = api().get("/actuator/prometheus").body();

        assertThat(metrics).contains("llmserve_gateway_requests_total{endpoint=\"/v1/models\",status=\"200\"}");
        assertThat(metrics).contains("llmserve_gateway_requests_total{endpoint=\"/v1/chat/completions\",status=\"400\"}");
        assertThat(metrics).contains("llmserve_gateway_requests_in_flight ");
    }
}
