package dev.llmserve.gateway;

import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.protocol.kafka.CancelRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The model path, the real tokenizer and the HTTP and Kafka helpers of {@link GatewayIntegrationTest}s. */
public abstract class GatewayTestSupport {

    protected static final String MODEL = DefaultModel.NAME;

    protected static TextTokenizer tokenizer;

    @LocalServerPort
    protected int port;

    @Autowired
    protected EmbeddedKafkaBroker broker;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("llmserve.model.path", () -> DefaultModel.DIR.toString());
    }

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = TextTokenizer.load(DefaultModel.DIR);
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    protected Api api() {
        return new Api(port);
    }

    protected ReplayingBatcher batcher() {
        return new ReplayingBatcher(broker.getBrokersAsString());
    }

    protected TopicReader reader(String topic) {
        return new TopicReader(broker.getBrokersAsString(), topic);
    }

    /** Waits for the cancel of {@code requestId} on the cancels topic. */
    protected static void awaitCancel(TopicReader cancels, String requestId, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> seen = cancels.readUntil(
                record -> MessageCodec.decodeCancel(record.value()).requestId().equals(requestId), timeout);
        ConsumerRecord<String, byte[]> last = seen.isEmpty() ? null : seen.get(seen.size() - 1);
        if (last == null || !MessageCodec.decodeCancel(last.value()).requestId().equals(requestId)) {
            throw new AssertionError("no cancel of " + requestId + " on " + Topics.CANCELS + " within " + timeout);
        }
        CancelRequest cancel = MessageCodec.decodeCancel(last.value());
        if (!requestId.equals(last.key()) || cancel.v() != CancelRequest.VERSION) {
            throw new AssertionError("cancel not keyed by request id or of the wrong version: " + last);
        }
    }

    /** A chat request body for the served model with extra top-level fields appended. */
    protected static String chat(String userText, String extraFields) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + userText + "\"}]" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}";
    }
}
