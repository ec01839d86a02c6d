package dev.llmserve.benchserve;

import dev.llmserve.protocol.kafka.CancelRequest;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.SamplingSpec;
import dev.llmserve.protocol.kafka.StopSpec;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A background load the foreground runs behind: requests at one priority, published straight to
 * the requests topic as the gateway publishes them (the public API lets no client choose a
 * priority; the Batch API's job lines are what carries {@code batch}). They reply to a topic of
 * their own, read here to know the backlog is being served and how far it got; what is left when
 * the foreground ends is cancelled, so the next run starts on an idle suite.
 */
final class BacklogLoad implements AutoCloseable {

    /**
     * What the backlog did from its publication to the end of the foreground: {@code completed}
     * requests ended with stop or length, {@code outputTokens} were streamed in {@code seconds}.
     */
    record Summary(Priority priority, int requests, int completed, long outputTokens, double seconds) {

        double outputTokenThroughput() {
            return seconds > 0 ? outputTokens / seconds : 0;
        }
    }

    private final Priority priority;
    private final String replyTopic = Topics.tokensFor("bench-backlog-" + UUID.randomUUID());
    private final List<String> requestIds = new ArrayList<>();
    private final Map<String, String> finishReasons = new ConcurrentHashMap<>();
    private final AtomicLong outputTokens = new AtomicLong();
    private final CountDownLatch serving = new CountDownLatch(1);
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread reader;
    private final long start = System.nanoTime();

    private BacklogLoad(String bootstrapServers, Priority priority) throws ExecutionException, InterruptedException {
        this.priority = priority;
        Properties common = new Properties();
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin = Admin.create(common);
        admin.createTopics(List.of(new NewTopic(replyTopic, 1, (short) 1))).all().get();
        Properties producerProps = new Properties();
        producerProps.putAll(common);
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(producerProps);
        Properties consumerProps = new Properties();
        consumerProps.putAll(common);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(consumerProps);
        TopicPartition partition = new TopicPartition(replyTopic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        reader = new Thread(this::read, "backlog-replies");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Publishes one request per prompt (greedy, {@code ignore_eos}, {@code maxTokens} each) at
     * {@code priority} for {@code model}.
     */
    static BacklogLoad publish(String bootstrapServers, String model, List<int[]> prompts, int maxTokens,
            Priority priority) throws ExecutionException, InterruptedException {
        BacklogLoad backlog = new BacklogLoad(bootstrapServers, priority);
        for (int[] prompt : prompts) {
            String id = "bench-backlog-" + UUID.randomUUID();
            backlog.requestIds.add(id);
            GenerationRequest request = new GenerationRequest(GenerationRequest.VERSION, id, backlog.replyTopic,
                    model, Arrays.stream(prompt).boxed().toList(),
                    new SamplingSpec(0f, 0, 1f, 0f, 1f, 0f, 0f, Map.of(), -1),
                    new StopSpec(maxTokens, List.of(), List.of(), true), 0L, priority, System.currentTimeMillis(),
                    null);
            backlog.producer.send(new ProducerRecord<>(Topics.REQUESTS, id, MessageCodec.encode(request)));
        }
        backlog.producer.flush();
        return backlog;
    }

    /** Waits for the backlog's first token: from then on the scheduler holds it. */
    void awaitServing(Duration timeout) throws InterruptedException, TimeoutException {
        if (!serving.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("the backlog got no token within " + timeout.toSeconds()
                    + " s: is batching-service reading " + Topics.REQUESTS + "?");
        }
    }

    /** Cancels what has not finished, waits until everything has ended, and says what got done before. */
    Summary stop(Duration timeout) throws InterruptedException, TimeoutException {
        double seconds = (System.nanoTime() - start) / 1e9;
        long tokens = outputTokens.get();
        int completed = (int) finishReasons.values().stream().filter(r -> r.equals("stop") || r.equals("length"))
                .count();
        cancelUnfinished();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finishReasons.size() < requestIds.size()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException((requestIds.size() - finishReasons.size())
                        + " backlog requests did not end after their cancel");
            }
            Thread.sleep(20);
        }
        return new Summary(priority, requestIds.size(), completed, tokens, seconds);
    }

    private void cancelUnfinished() {
        for (String id : requestIds) {
            if (!finishReasons.containsKey(id)) {
                producer.send(new ProducerRecord<>(Topics.CANCELS, id,
                        MessageCodec.encode(new CancelRequest(CancelRequest.VERSION, id))));
            }
        }
        producer.flush();
    }

    private void read() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    for (TokenEvent e : MessageCodec.decodeTokenEvents(record.value()).events()) {
                        outputTokens.addAndGet(e.tokenIds().size());
                        serving.countDown();
                        if (e.isLast()) {
                            finishReasons.put(e.requestId(), e.finishReason());
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked the reader to stop
        }
    }

    /** Cancels what is still running (the foreground may have failed), stops reading, deletes the reply topic. */
    @Override
    public void close() throws InterruptedException {
        cancelUnfinished();
        consumer.wakeup();
        reader.join(TimeUnit.SECONDS.toMillis(5));
        consumer.close();
        producer.close();
        try {
            admin.deleteTopics(List.of(replyTopic)).all().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("could not delete the backlog's reply topic " + replyTopic + ": " + e);
        }
        admin.close();
    }
}
