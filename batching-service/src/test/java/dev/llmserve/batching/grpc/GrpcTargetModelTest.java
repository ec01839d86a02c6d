package dev.llmserve.batching.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmserve.batching.core.BlockManager;
import dev.llmserve.batching.core.EngineMetrics;
import dev.llmserve.batching.core.InProcessDraftModel;
import dev.llmserve.batching.core.InProcessTargetModel;
import dev.llmserve.batching.core.OutboundEvents;
import dev.llmserve.batching.core.Scheduler;
import dev.llmserve.batching.core.Schedulers;
import dev.llmserve.batching.core.SequenceFactory;
import dev.llmserve.batching.core.ServingEngine;
import dev.llmserve.batching.core.ShardInfo;
import dev.llmserve.batching.core.DefaultModel;
import dev.llmserve.batching.core.TargetModel;
import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.batching.speculative.DraftCompatibility;
import dev.llmserve.batching.speculative.DraftModel;
import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.StopSpec;
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

/** The batching-service's gRPC client against a real ModelShard server over the real engine. */
class GrpcTargetModelTest {

    private static DefaultModel model;
    private static ModelRunner runner;
    private static ModelShardTestServer server;
    private static ManagedChannel channel;
    private static GrpcTargetModel executor;

    @BeforeAll
    static void start() {
        model = DefaultModel.load();
        runner = model.runner(null);
        server = new ModelShardTestServer(runner, DefaultModel.NAME, model.tokenizerHash());
        channel = ManagedChannelBuilder.forTarget(server.target()).usePlaintext().build();
        executor = new GrpcTargetModel(channel, Duration.ofSeconds(30));
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
        assertEquals(new ShardInfo(DefaultModel.NAME, 4096, 512, runner.cacheSpec().numBlocks(),
                runner.cacheSpec().blockSize(), runner.device(), model.tokenizerHash()), info);
    }

    @Test
    void batchedRequestsOverGrpcGiveTheGeneratorsText() {
        ShardInfo info = executor.info();
        ServingEngine engine = new ServingEngine(
                Schedulers.plain(new BlockManager(info.numBlocks(), info.blockSize()), 8, 64), executor,
                new SequenceFactory(model.tokenizer().tokenizer(), model.tokenizer().eosTokenIds(), info),
                model.tokenizer()::piece, new MicrometerEngineMetrics(new SimpleMeterRegistry(), 8));
        OutboundEvents submitted = new OutboundEvents();
        Map<String, int[]> prompts = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            int[] prompt = model.encode(DefaultModel.PROMPTS.get(i));
            prompts.put("g" + i, prompt);
            engine.submit(DefaultModel.greedy("g" + i, prompt, 50, false), System.nanoTime(), submitted);
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
            assertEquals(expected.text(), DefaultModel.text(got));
            assertArrayEquals(expected.outputTokens(), DefaultModel.tokenIds(got));
        }
    }

    @Test
    void speculationOverGrpcGivesWhatItGivesInProcess() {
        // greedy and sampled requests: the drafts' q and the accepted runs cross the wire both ways
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(DefaultModel.request("s" + i, model.encode(DefaultModel.PROMPTS.get(i)), i % 2 == 0 ? 0f : 0.8f,
                    new StopSpec(40, List.of(), List.of("."), false), null));
        }
        Map<String, List<TokenEvent>> local;
        try (ModelRunner target = model.runner(null); ModelRunner draft = model.runner(null)) {
            local = serve(new InProcessTargetModel(target, DefaultModel.NAME, model.tokenizerHash()),
                    new InProcessDraftModel(draft, DefaultModel.NAME, model.tokenizerHash()), requests);
        }
        Map<String, List<TokenEvent>> remote;
        try (ModelRunner draft = model.runner(null);
                ModelShardTestServer draftServer = new ModelShardTestServer(draft, "draft", model.tokenizerHash())) {
            ManagedChannel draftChannel = ManagedChannelBuilder.forTarget(draftServer.target()).usePlaintext().build();
            try {
                GrpcDraftModel draftModel = new GrpcDraftModel(draftChannel, Duration.ofSeconds(30));
                assertEquals(model.tokenizerHash(), draftModel.info().tokenizerHash());
                remote = serve(executor, draftModel, requests);
            } finally {
                draftChannel.shutdownNow();
            }
        }
        for (GenerationRequest r : requests) {
            List<TokenEvent> want = local.get(r.requestId());
            List<TokenEvent> got = remote.get(r.requestId());
            assertArrayEquals(DefaultModel.tokenIds(want), DefaultModel.tokenIds(got), r.requestId());
            assertEquals(DefaultModel.text(want), DefaultModel.text(got));
        }
        assertEquals(true, remote.values().stream().flatMap(List::stream).anyMatch(e -> e.tokenIds().size() > 1),
                "runs of accepted tokens came back");
    }

    private static Map<String, List<TokenEvent>> serve(TargetModel target, DraftModel draft,
            List<GenerationRequest> requests) {
        ShardInfo info = DraftCompatibility.check(target.info(), draft.info());
        EngineMetrics metrics = new MicrometerEngineMetrics(new SimpleMeterRegistry(), 8);
        Speculator speculator = new Speculator(draft, 4, true, metrics);
        ServingEngine engine = new ServingEngine(
                new Scheduler(new BlockManager(info.numBlocks(), info.blockSize()), 8, 256, 256, speculator), target,
                new SequenceFactory(model.tokenizer().tokenizer(), model.tokenizer().eosTokenIds(), info),
                model.tokenizer()::piece, metrics);
        OutboundEvents submitted = new OutboundEvents();
        requests.forEach(r -> engine.submit(r, System.nanoTime(), submitted));
        Map<String, List<TokenEvent>> events = new HashMap<>();
        while (engine.hasWork()) {
            OutboundEvents out = new OutboundEvents();
            engine.step(out);
            out.events().forEach(e -> events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e));
        }
        return events;
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
