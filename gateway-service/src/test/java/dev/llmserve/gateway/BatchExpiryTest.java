package dev.llmserve.gateway;

import static dev.llmserve.gateway.BatchClient.ENDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A batch not done when its completion window ends expires; what did not run is in the error file. */
class BatchExpiryTest extends EmbeddedBrokerBatchTest {

    @Test
    void aBatchStillRunningWhenItsWindowEndsExpires() throws Exception {
        try (ReplayingBatcher batcher = new ReplayingBatcher(kafka());
                TopicReader cancels = new TopicReader(kafka(), Topics.CANCELS);
                RunningGateway gateway = RunningGateway.start(kafka(),
                        "llmserve.gateway.batch.window=1", "llmserve.gateway.batch.completion-window=4s")) {
            BatchClient client = new BatchClient(gateway.api());
            String id = client.create(client.upload(lines("late-", 2)), CHAT).get("id").asString();
            GenerationRequest unanswered = batcher.nextRequest();

            JsonNode batch = client.await(id, ENDED, Duration.ofSeconds(30));

            assertThat(batch.get("status").asString()).isEqualTo("expired");
            assertThat(batch.get("expires_at").asLong() - batch.get("created_at").asLong()).isEqualTo(4);
            assertThat(batch.get("expired_at").asLong()).isGreaterThanOrEqualTo(batch.get("expires_at").asLong());
            assertThat(batch.get("request_counts").get("failed").asInt()).isEqualTo(2);
            List<JsonNode> errors = client.lines(batch.get("error_file_id").asString());
            assertThat(errors).extracting(line -> line.get("custom_id").asString()).containsExactly("late-0", "late-1");
            assertThat(errors).allSatisfy(line -> assertThat(line.get("error").get("code").asString())
                    .isEqualTo("batch_expired"));
            GatewayTestSupport.awaitCancel(cancels, unanswered.requestId(), Duration.ofSeconds(10));
        }
    }
}
