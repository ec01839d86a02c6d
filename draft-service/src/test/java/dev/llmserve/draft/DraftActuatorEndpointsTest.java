package dev.llmserve.draft;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Health and Prometheus over real HTTP, next to the gRPC server. */
class DraftActuatorEndpointsTest extends DraftShardTestSupport {

    @LocalServerPort
    int httpPort;

    @Autowired
    MeterRegistry registry;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsUpOnceTheModelIsLoadedAndGrpcListens() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JsonMapper.shared().readTree(health.body());
        JsonNode shardHealth = body.path("components").path("draftShard");
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(shardHealth.path("status").asString()).isEqualTo("UP");
        assertThat(shardHealth.path("details").path("model").asString()).isEqualTo("brown-6m-draft");
        assertThat(shardHealth.path("details").path("grpcPort").asInt()).isEqualTo(grpcServer.port());
    }

    @Test
    void prometheusShowsTheProposeMetrics() throws Exception {
        double before = registry.counter("llmserve.draft.proposed.tokens").count();

        proposeOne(greedy(1, PROMPT, 0, List.of(200), 4));

        assertThat(registry.counter("llmserve.draft.proposed.tokens").count()).isEqualTo(before + 4);
        HttpResponse<String> metrics = get("/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("llmserve_draft_propose_seconds_bucket")
                .contains("llmserve_draft_propose_seconds_count")
                .contains("llmserve_draft_proposed_tokens_total")
                .contains("llmserve_draft_rejected_total");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
