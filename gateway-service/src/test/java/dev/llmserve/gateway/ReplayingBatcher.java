package dev.llmserve.gateway;

import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.StopSpec;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.TokenEventBatch;
import dev.llmserve.protocol.kafka.Topics;
import dev.llmserve.protocol.kafka.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the batching-service's part over the real broker: takes the gateway's requests off the
 * requests topic and answers on the request's reply topic with token events made the way the
 * batching-service makes them (the engine's {@link StreamingOutput} over real token ids and the real
 * tokenizer).
 */
public final class ReplayingBatcher implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final TopicReader requests;
    private final KafkaProducer<String, byte[]> producer;

    public ReplayingBatcher(String bootstrapServers) {
        this.requests = new TopicReader(bootstrapServers, Topics.REQUESTS);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(props);
    }

    /** The next request the gateway published, with its record key. */
    public ConsumerRecord<String, byte[]> nextRecord() {
        return requests.next(WAIT);
    }

    public GenerationRequest nextRequest() {
        return MessageCodec.decodeRequest(nextRecord().value());
    }

    /** The requests published within {@code time} (none, when the gateway publishes nothing). */
    public List<GenerationRequest> requestsWithin(Duration time) {
        return requests.readUntil(record -> false, time).stream()
                .map(record -> MessageCodec.decodeRequest(record.value()))
                .toList();
    }

    /** The events the scheduler would publish for {@code generated}, one token per event. */
    public static List<TokenEvent> events(GenerationRequest request, TextTokenizer tokenizer, List<Integer> generated) {
        StopSpec stop = request.stop();
        Set<Integer> eos = new HashSet<>();
        tokenizer.eosTokenId().ifPresent(eos::add);
        StreamingOutput output = new StreamingOutput(tokenizer,
                request.promptTokens().stream().mapToInt(Integer::intValue).toArray(),
                new StopCriteria(stop.maxTokens(), Set.copyOf(stop.stopTokenIds()), stop.stopStrings(), stop.ignoreEos()),
                eos, true);
        List<TokenEvent> events = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            OutputDelta delta = output.accept(generated.get(i));
            String finish = delta.isFinished() ? delta.finished().openAiName() : null;
            Usage usage = delta.isFinished() ? new Usage(request.promptTokens().size(), i + 1) : null;
            events.add(new TokenEvent(request.requestId(), i, List.of(generated.get(i)), delta.textDelta(), List.of(),
                    finish, usage, null));
            if (delta.isFinished()) {
                return events;
            }
        }
        throw new IllegalArgumentException("the generated ids end before the request finishes");
    }

    /** Publishes one batch (one scheduler step) to the request's reply topic. */
    public void send(GenerationRequest request, List<TokenEvent> events) {
        try {
            producer.send(new ProducerRecord<>(request.replyTopic(),
                    MessageCodec.encode(new TokenEventBatch(TokenEventBatch.VERSION, events)))).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        requests.close();
        producer.close();
    }
}
