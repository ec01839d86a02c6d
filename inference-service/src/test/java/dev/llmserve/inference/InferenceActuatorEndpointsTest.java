package dev.llmserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.grpc.StepOutput;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepSequence;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Health and Prometheus over real HTTP, next to the gRPC server. */
class InferenceActuatorEndpointsTest extends ShardTestSupport {

    @LocalServerPort
    int httpPort;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsUpOnceTheModelIsLoadedAndGrpcListens() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode body = JsonMapper.shared().readTree(health.body());
        JsonNode shardHealth = body.path("components").path("modelShard");
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(shardHealth.path("status").asString()).isEqualTo("UP");
        assertThat(shardHealth.path("details").path("model").asString()).isEqualTo("brown-6m");
        assertThat(shardHealth.path("details").path("grpcPort").asInt()).isEqualTo(grpcServer.port());
    }

    @Test
    void prometheusShowsTheStepMetrics() throws Exception {
        shard.step(StepRequest.newBuilder().addSequences(StepSequence.newBuilder().setSequenceId(1)
                .addTokens(1).addTokens(403).addBlockTable(200).setOutput(StepOutput.OUTPUT_NONE)).build());

        HttpResponse<String> metrics = get("/actuator/prometheus");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("llmserve_step_duration_seconds_bucket")
                .contains("llmserve_step_duration_seconds_count")
                .contains("llmserve_step_tokens_bucket")
                .contains("llmserve_step_sequences_bucket")
                .contains("llmserve_step_rejected_total");
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
