package dev.llmserve.gateway;

import static dev.llmserve.gateway.BatchClient.ENDED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmserve.protocol.kafka.GenerationRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Live gateways share the batches by Kafka's assignment of the batches topic's partitions: each
 * batch is driven by one of them, whichever instance it was created on, and its lines run once.
 */
class BatchSharingTest extends EmbeddedBrokerBatchTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void liveGatewaysShareTheBatchesAndEachBatchHasOneDriver() throws Exception {
        try (ReplayingBatcher batcher = new ReplayingBatcher(kafka());
                RunningGateway one = RunningGateway.start(kafka());
                RunningGateway two = RunningGateway.start(kafka())) {
            awaitSplit(one, two);
            BatchClient client = new BatchClient(one.api());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ids.add(client.create(client.upload(lines("b" + i + "-", 1)), CHAT).get("id").asString());
            }
            Set<String> replyTopics = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                GenerationRequest request = batcher.nextRequest();
                replyTopics.add(request.replyTopic());
                finish(batcher, request);
            }
            for (String id : ids) {
                JsonNode batch = new BatchClient(two.api()).await(id, ENDED, WAIT);
                assertThat(batch.get("request_counts").get("completed").asInt()).isEqualTo(1);
            }
            assertThat(replyTopics).as("both gateways drove batches").hasSize(2);
            assertThat(batcher.requestsWithin(Duration.ofSeconds(1))).as("no line ran twice").isEmpty();
        }
    }

    /** Until the group has settled: the four partitions split between the two, none driven twice. */
    private static void awaitSplit(RunningGateway one, RunningGateway two) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Set<Integer> first = partitions(one);
            Set<Integer> second = partitions(two);
            Set<Integer> union = new HashSet<>(first);
            union.addAll(second);
            if (!first.isEmpty() && !second.isEmpty() && union.size() == 4 && first.size() + second.size() == 4) {
                return;
            }
            assertThat(System.nanoTime()).as("partitions never split: %s / %s", first, second).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static Set<Integer> partitions(RunningGateway gateway) {
        Set<Integer> partitions = new HashSet<>();
        gateway.api().get("/actuator/health").json().get("components").get("batchDriver").get("details")
                .get("partitions").forEach(p -> partitions.add(p.asInt()));
        return partitions;
    }
}
