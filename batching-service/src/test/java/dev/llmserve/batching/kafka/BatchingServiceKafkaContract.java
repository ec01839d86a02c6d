package dev.llmserve.batching.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.batching.core.DefaultModel;
import dev.llmserve.batching.grpc.ModelShardTestServer;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.protocol.kafka.CancelRequest;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.MessageCodec;
import dev.llmserve.protocol.kafka.StopSpec;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.utils.ContainerTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service: a real Kafka broker, the Spring context, the gRPC step client against a real
 * ModelShard server over the real engine, and speculative decoding with a draft shard (the same
 * model, in its own runner) behind Propose. Requests go in on Kafka, token events come back on the
 * reply topic, as the gateway will see them. Run against an embedded KRaft broker everywhere
 * ({@link BatchingServiceEmbeddedKafkaTest}) and against the Kafka container where Docker runs
 * ({@link BatchingServiceKafkaContainerTest}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.kafka.consumer.auto-offset-reset=earliest",
        "llmserve.batching.max-num-seqs=16",
        "llmserve.batching.max-num-batched-tokens=256",
        "llmserve.batching.speculative.mode=draft",
        // the test broker's one partition; the service would otherwise grow the topic to 4
        "llmserve.batching.request-partitions=1",
        "logging.level.org.apache.kafka=WARN", "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN"})
abstract class BatchingServiceKafkaContract {

    /** The broker's bootstrap servers, from whichever real broker the subclass starts. */
    protected abstract String bootstrapServers();

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static DefaultModel model;
    private static ModelRunner runner;
    private static ModelShardTestServer shard;
    private static ModelRunner draftRunner;
    private static ModelShardTestServer draftShard;

    @Autowired
    private KafkaListenerEndpointRegistry listeners;
    @LocalServerPort
    private int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaProducer<String, byte[]> producer;
    private ReplyTopicReader replies;

    @DynamicPropertySource
    static void modelAndShard(DynamicPropertyRegistry registry) {
        model = DefaultModel.load();
        runner = model.runner(null);
        shard = new ModelShardTestServer(runner, DefaultModel.NAME, model.tokenizerHash());
        draftRunner = model.runner(null);
        draftShard = new ModelShardTestServer(draftRunner, "brown-6m-self-draft", model.tokenizerHash());
        registry.add("llmserve.model.path", () -> model.dir().toString());
        registry.add("llmserve.batching.inference-target", shard::target);
        registry.add("llmserve.batching.speculative.draft-target", draftShard::target);
    }

    @AfterAll
    static void stopShard() {
        if (shard != null) {
            shard.close();
            draftShard.close();
            runner.close();
            draftRunner.close();
            model.close();
        }
    }

    @BeforeEach
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!get("/actuator/health").contains("\"status\":\"UP\"")) {
            assertTrue(System.nanoTime() < deadline, "the service never became healthy");
            Thread.sleep(100);
        }
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer(RequestListener.ID), 1);
        ContainerTestUtils.waitForAssignment(listeners.getListenerContainer(CancelListener.ID), 1);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(props);
        replies = new ReplyTopicReader(bootstrapServers(), DefaultModel.REPLY_TOPIC);
    }

    @AfterEach
    void close() {
        producer.close();
        replies.close();
    }

    private String get(String path) throws Exception {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private void publish(GenerationRequest request) {
        producer.send(new ProducerRecord<>(Topics.REQUESTS, request.requestId(), MessageCodec.encode(request)));
        producer.flush();
    }

    private double metric(String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(get("/actuator/prometheus"));
        assertTrue(m.find(), name + " is not exported");
        return Double.parseDouble(m.group(1));
    }

    /** One series of a metric with a {@code priority} tag. */
    private double metric(String name, String priority) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*priority=\"" + priority + "\"[^}]*\\} (\\S+)$")
                .matcher(get("/actuator/prometheus"));
        assertTrue(m.find(), name + "{priority=\"" + priority + "\"} is not exported");
        return Double.parseDouble(m.group(1));
    }

    private void cancel(String requestId) {
        producer.send(new ProducerRecord<>(Topics.CANCELS, requestId,
                MessageCodec.encode(new CancelRequest(CancelRequest.VERSION, requestId))));
        producer.flush();
    }

    private static void assertContiguous(List<TokenEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).index(), "indices count 0, 1, 2, … once each");
            assertEquals(i == events.size() - 1, events.get(i).isLast());
        }
    }

    @Test
    void requestsStreamBackTheGeneratorsTextAndARedeliveryRunsOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        List<Generator.Result> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int[] prompt = model.encode(DefaultModel.PROMPTS.get(i));
            ids.add("kafka-" + i + "-" + UUID.randomUUID());
            prompts.add(prompt);
            synchronized (runner) {
                expected.add(model.reference(runner, prompt, 60, false));
            }
        }
        for (int i = 0; i < ids.size(); i++) {
            GenerationRequest request = DefaultModel.greedy(ids.get(i), prompts.get(i), 60, false);
            publish(request);
            if (i == 0) {
                publish(request); // redelivered
            }
        }

        Map<String, List<TokenEvent>> events = replies.until(ReplyTopicReader.finished(ids), TIMEOUT);
        for (int i = 0; i < ids.size(); i++) {
            List<TokenEvent> got = events.get(ids.get(i));
            assertContiguous(got);
            assertEquals(expected.get(i).text(), DefaultModel.text(got));
            assertArrayEquals(expected.get(i).outputTokens(), DefaultModel.tokenIds(got));
            assertEquals(expected.get(i).finishReason(), got.get(got.size() - 1).finishReason());
        }

        String prometheus = get("/actuator/prometheus");
        for (String series : List.of("llmserve_requests_running", "llmserve_requests_waiting",
                "llmserve_kv_blocks_used", "llmserve_kv_blocks_total", "llmserve_preemptions_total",
                "llmserve_time_to_first_token_seconds_bucket", "llmserve_inter_token_latency_seconds_bucket",
                "llmserve_e2e_request_latency_seconds_bucket", "llmserve_batch_size_bucket",
                "llmserve_spec_acceptance_rate", "llmserve_spec_accepted_tokens_per_step_bucket",
                "llmserve_spec_draft_seconds_bucket", "llmserve_spec_verify_seconds_bucket",
                "llmserve_spec_draft_tokens_total", "llmserve_spec_accepted_tokens_total")) {
            assertTrue(prometheus.contains(series), series + " is exported");
        }
        assertTrue(metric("llmserve_batch_size_max") > 1, "steps carried several sequences");
        assertEquals(runner.cacheSpec().numBlocks(), metric("llmserve_kv_blocks_total"));
    }

    @Test
    void aRequestThatOptsOutOfSpeculationPassesThrough() throws Exception {
        int[] prompt = model.encode("Once upon a time");
        Generator.Result expected;
        synchronized (runner) {
            expected = model.reference(runner, prompt, 120, true);
        }
        String optedOut = "plain-" + UUID.randomUUID();
        String speculating = "spec-" + UUID.randomUUID();
        double verificationsBefore = metric("llmserve_spec_accepted_tokens_per_step_count");
        publish(DefaultModel.request(optedOut, prompt, 0f, new StopSpec(120, List.of(), List.of(), true), false));
        publish(DefaultModel.request(speculating, prompt, 0f, new StopSpec(120, List.of(), List.of(), true), null));

        Map<String, List<TokenEvent>> events = replies.until(ReplyTopicReader.finished(List.of(optedOut, speculating)),
                TIMEOUT);
        for (String id : List.of(optedOut, speculating)) {
            List<TokenEvent> got = events.get(id);
            assertContiguous(got);
            assertEquals(expected.text(), DefaultModel.text(got));
            assertArrayEquals(expected.outputTokens(), DefaultModel.tokenIds(got));
        }
        assertTrue(events.get(optedOut).stream().allMatch(e -> e.tokenIds().size() <= 1),
                "the opted-out request got one token per step");
        assertTrue(events.get(speculating).size() < events.get(optedOut).size(),
                "the other one got accepted runs: fewer events for the same tokens");
        assertTrue(metric("llmserve_spec_accepted_tokens_per_step_count") > verificationsBefore);
        assertTrue(metric("llmserve_spec_acceptance_rate") > 0.9, "the model drafting for itself");
        assertTrue(get("/actuator/health").contains("\"speculative\":\"draft\""));
    }

    @Test
    void aCancelEndsALongRequestAndItsBlocksAreFreed() throws Exception {
        String id = "long-" + UUID.randomUUID();
        publish(DefaultModel.greedy(id, model.encode("Once upon a time"), 500, true));
        replies.until(events -> events.containsKey(id), TIMEOUT);

        cancel(id);
        List<TokenEvent> events = replies.until(ReplyTopicReader.finished(List.of(id)), TIMEOUT).get(id);

        assertContiguous(events);
        TokenEvent last = events.get(events.size() - 1);
        assertEquals("cancelled", last.finishReason());
        assertTrue(last.usage().completionTokens() < 500);
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (metric("llmserve_kv_blocks_used") != 0) {
            assertTrue(System.nanoTime() < deadline, "the blocks are freed within a second");
            Thread.sleep(20);
        }
    }

    @Test
    void anInteractiveRequestOvertakesABatchBacklogThatHoldsEverySeat() throws Exception {
        int[] prompt = model.encode("Once upon a time");
        Generator.Result expected;
        synchronized (runner) {
            expected = model.reference(runner, prompt, 40, false);
        }
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            backlog.add("backlog-" + i + "-" + UUID.randomUUID());
            publish(DefaultModel.asBatch(DefaultModel.request(backlog.get(i),
                    model.encode(DefaultModel.PROMPTS.get(i % DefaultModel.PROMPTS.size())), 0f,
                    new StopSpec(400, List.of(), List.of(), true), false)));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (metric("llmserve_requests_running_by_priority", "batch") < 16
                || metric("llmserve_requests_waiting_by_priority", "batch") < 4) {
            assertTrue(System.nanoTime() < deadline, "the backlog never held all 16 seats with 4 more waiting");
            Thread.sleep(10);
        }
        double preemptionsBefore = metric("llmserve_preemptions_total");
        double interactiveFirstTokensBefore =
                metric("llmserve_time_to_first_token_by_priority_seconds_count", "interactive");

        String urgent = "urgent-" + UUID.randomUUID();
        publish(DefaultModel.greedy(urgent, prompt, 40, false));
        Map<String, List<TokenEvent>> events = replies.until(ReplyTopicReader.finished(List.of(urgent)), TIMEOUT);

        assertContiguous(events.get(urgent));
        assertEquals(expected.text(), DefaultModel.text(events.get(urgent)));
        assertArrayEquals(expected.outputTokens(), DefaultModel.tokenIds(events.get(urgent)));
        for (String id : backlog) {
            List<TokenEvent> got = events.get(id);
            assertTrue(got == null || !got.get(got.size() - 1).isLast(),
                    "no backlog request of 400 tokens finished before the interactive one of 40");
        }
        assertTrue(metric("llmserve_preemptions_total") > preemptionsBefore, "a batch sequence gave its seat");
        assertEquals(interactiveFirstTokensBefore + 1,
                metric("llmserve_time_to_first_token_by_priority_seconds_count", "interactive"));

        backlog.forEach(this::cancel);
        replies.until(ReplyTopicReader.finished(backlog), TIMEOUT);
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric("llmserve_kv_blocks_used") != 0) {
            assertTrue(System.nanoTime() < deadline, "the backlog's blocks are freed once it is cancelled");
            Thread.sleep(20);
        }
        assertEquals(0, metric("llmserve_requests_running_by_priority", "batch"));
        assertEquals(0, metric("llmserve_requests_waiting_by_priority", "batch"));
    }
}
