package dev.llmserve.gateway;

import static dev.llmserve.gateway.BatchClient.ENDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A batch outlives its gateway: the next instance resumes it and runs only the lines without a result. */
class BatchRestartTest extends EmbeddedBrokerBatchTest {

    @Test
    void aRestartedGatewayResumesTheBatchAndRunsOnlyTheLinesWithoutAResult() throws Exception {
        String id;
        GenerationRequest firstDone;
        try (ReplayingBatcher batcher = new ReplayingBatcher(kafka())) {
            try (RunningGateway before = RunningGateway.start(kafka(), "llmserve.gateway.batch.window=2")) {
                BatchClient client = new BatchClient(before.api());
                id = client.create(client.upload(lines("line-", 5)), CHAT).get("id").asString();
                firstDone = byMaxTokens(batcher, 2).get(1);
                finish(batcher, firstDone);
                byMaxTokens(batcher, 1); // the next line took the freed place: the first result is stored
            }
            try (RunningGateway after = RunningGateway.start(kafka(), "llmserve.gateway.batch.window=2")) {
                Map<Integer, GenerationRequest> resumed = new HashMap<>();
                while (resumed.size() < 4) {
                    GenerationRequest request = batcher.nextRequest();
                    assertThat(resumed.put(request.stop().maxTokens(), request)).as("published once").isNull();
                    finish(batcher, request);
                }
                assertThat(resumed.keySet()).as("every line but the one already done").containsExactlyInAnyOrder(2, 3, 4, 5);

                BatchClient client = new BatchClient(after.api());
                JsonNode batch = client.await(id, ENDED, Duration.ofSeconds(60));

                assertThat(batch.get("status").asString()).isEqualTo("completed");
                assertThat(batch.get("request_counts").get("completed").asInt()).isEqualTo(5);
                List<JsonNode> output = client.lines(batch.get("output_file_id").asString());
                assertThat(output).extracting(line -> line.get("custom_id").asString())
                        .containsExactly("line-0", "line-1", "line-2", "line-3", "line-4");
                assertThat(output.get(0).get("response").get("request_id").asString()).isEqualTo(firstDone.requestId());
                for (int i = 1; i < 5; i++) {
                    assertThat(output.get(i).get("response").get("request_id").asString())
                            .isEqualTo(resumed.get(i + 1).requestId());
                }
                assertThat(batcher.requestsWithin(Duration.ofSeconds(1))).isEmpty();
            }
        }
    }
}
