package dev.llmserve.batching.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmserve.batching.SharedModels;
import dev.llmserve.batching.core.BlockManager;
import dev.llmserve.batching.core.OutboundEvents;
import dev.llmserve.batching.core.Scheduler;
import dev.llmserve.batching.core.SequenceFactory;
import dev.llmserve.batching.core.ServingEngine;
import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.batching.core.Stories260K;
import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.kafka.TokenEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The batching-service's gRPC client against a real ModelShard server over the real engine. */
@EnabledIf(value = "dev.llmserve.batching.SharedModels#stories260KPresent", disabledReason = SharedModels.MISSING)
class GrpcStepExecutorTest {

    private static Stories260K model;
    private static ModelRunner runner;
    private static ModelShardTestServer server;
    private static ManagedChannel channel;
    private static GrpcStepExecutor executor;

    @BeforeAll
    static void start() {
        model = Stories260K.load();
        runner = model.runner(null);
        server = new ModelShardTestServer(runner, Stories260K.NAME);
        channel = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
        executor = new GrpcStepExecutor(channel, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (runner != null) {
            runner.close();
        }
        if (model != null) {
            model.close();
        }
    }

    @Test
    void infoReportsTheShardsModelAndCache() {
        ShardInfo info = executor.info();
        assertEquals(new ShardInfo(Stories260K.NAME, 512, 512, runner.cacheSpec().numBlocks(),
                runner.cacheSpec().blockSize(), runner.device()), info);
    }

    @Test
    void batchedRequestsOverGrpcGiveTheGeneratorsText() {
        ShardInfo info = executor.info();
        ServingEngine engine = new ServingEngine(
                new Scheduler(new BlockManager(info.numBlocks(), info.blockSize()), 8, 64), executor,
                new SequenceFactory(model.tokenizer().tokenizer(), model.tokenizer().eosTokenIds(), info),
                model.tokenizer()::piece, new MicrometerEngineMetrics(new SimpleMeterRegistry(), 8));
        OutboundEvents submitted = new OutboundEvents();
        Map<String, int[]> prompts = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            int[] prompt = model.encode(Stories260K.PROMPTS.get(i));
            prompts.put("g" + i, prompt);
            engine.submit(Stories260K.greedy("g" + i, prompt, 50, false), System.nanoTime(), submitted);
        }
        Map<String, List<TokenEvent>> events = new HashMap<>();
        while (engine.hasWork()) {
            OutboundEvents out = new OutboundEvents();
            engine.step(out);
            out.events().forEach(e -> events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e));
        }
        for (Map.Entry<String, int[]> prompt : prompts.entrySet()) {
            Generator.Result expected;
            synchronized (runner) {
                expected = model.reference(runner, prompt.getValue(), 50, false);
            }
            List<TokenEvent> got = events.get(prompt.getKey());
            assertEquals(expected.text(), Stories260K.text(got));
            assertArrayEquals(expected.outputTokens(), Stories260K.tokenIds(got));
        }
    }

    @Test
    void allLogitsComeBackAsTheRunnerGivesThem() {
        int[] prompt = model.encode("Once upon a time");
        SequenceStep step = new SequenceStep(7, prompt, 0, new int[] {0}, OutputMode.ALL_LOGITS, null);
        SequenceResult remote = executor.step(List.of(step)).get(0);
        SequenceResult local;
        synchronized (runner) {
            local = runner.step(List.of(step)).get(0);
        }
        assertEquals(7, remote.sequenceId());
        assertEquals(prompt.length, remote.logits().length);
        for (int i = 0; i < prompt.length; i++) {
            assertArrayEquals(local.logits()[i], remote.logits()[i]);
        }
    }

    @Test
    void aStepTheShardRejectsFailsWithTheShardsMessage() {
        SequenceStep beyondTable = new SequenceStep(1, new int[] {1, 2, 3}, 40, new int[] {0}, OutputMode.NONE,
                null);
        RuntimeException e = assertThrows(RuntimeException.class, () -> executor.step(List.of(beyondTable)));
        assertEquals(true, e.getMessage().contains("block table"), e.getMessage());
    }
}
