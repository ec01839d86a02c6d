package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.TokenEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batch-priority requests on the committed brown-6m, stepped in process: interactive requests
 * that arrive behind a batch backlog holding every seat or every KV block run in the next step, the
 * backlog gives way and still completes, and every text is what the request gives alone.
 */
class PriorityServingTest {

    private static DefaultModel model;
    private static ModelRunner runner;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, List<TokenEvent>> events = new HashMap<>();
    /** The step in which each request got its last event. */
    private final Map<String, Integer> finishedAtStep = new HashMap<>();
    private int steps;

    @BeforeAll
    static void load() {
        model = DefaultModel.load();
        runner = model.runner(null);
    }

    @AfterAll
    static void close() {
        if (runner != null) {
            runner.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private ServingEngine engine(ModelRunner on, int maxNumSeqs, int maxNumBatchedTokens, int maxBatchPrefillTokens) {
        TargetModel executor = new InProcessTargetModel(on, DefaultModel.NAME, model.tokenizerHash());
        ShardInfo info = executor.info();
        Scheduler scheduler = Schedulers.plain(new BlockManager(info.numBlocks(), info.blockSize()), maxNumSeqs,
                maxNumBatchedTokens, maxBatchPrefillTokens);
        SequenceFactory sequences = new SequenceFactory(model.tokenizer().tokenizer(),
                model.tokenizer().eosTokenIds(), info);
        return new ServingEngine(scheduler, executor, sequences, model.tokenizer()::piece,
                new MicrometerEngineMetrics(registry, maxNumSeqs));
    }

    private void submit(ServingEngine engine, GenerationRequest request) {
        OutboundEvents out = new OutboundEvents();
        engine.submit(request, System.nanoTime(), out);
        collect(out);
    }

    /** One step; returns it and the events it produced. */
    private ScheduledBatch step(ServingEngine engine, OutboundEvents out) {
        ScheduledBatch batch = engine.step(out);
        steps++;
        collect(out);
        engine.reportState();
        return batch;
    }

    private void runToEnd(ServingEngine engine) {
        while (engine.hasWork()) {
            step(engine, new OutboundEvents());
            assertTrue(steps < 5000, "the work never finished");
        }
    }

    private void collect(OutboundEvents out) {
        for (TokenEvent e : out.events()) {
            events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e);
            if (e.isLast()) {
                finishedAtStep.put(e.requestId(), steps);
            }
        }
    }

    private void assertMatchesGenerator(ModelRunner on, GenerationRequest request) {
        int[] prompt = request.promptTokens().stream().mapToInt(Integer::intValue).toArray();
        Generator.Result expected = model.reference(on, prompt, request.stop().maxTokens(), request.stop().ignoreEos());
        List<TokenEvent> got = events.get(request.requestId());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i).index(), request.requestId() + ": events count 0, 1, 2, …");
        }
        assertEquals(expected.text(), DefaultModel.text(got), request.requestId());
        assertArrayEquals(expected.outputTokens(), DefaultModel.tokenIds(got), request.requestId());
        assertEquals(expected.finishReason(), got.get(got.size() - 1).finishReason(), request.requestId());
    }

    private static boolean carries(ScheduledBatch batch, String requestId) {
        return batch.sequences().stream().anyMatch(s -> s.sequence().requestId().equals(requestId));
    }

    private static boolean firstTokenIn(OutboundEvents out, String requestId) {
        return out.events().stream().anyMatch(e -> e.requestId().equals(requestId) && e.index() == 0);
    }

    private double ttftCount(String priority) {
        return registry.get("llmserve.time.to.first.token.by.priority").tag("priority", priority).timer().count();
    }

    private double gauge(String name, String priority) {
        return registry.get(name).tag("priority", priority).gauge().value();
    }

    @Test
    void interactiveRequestsBehindABacklogHoldingEverySeatRunInTheNextStepAndEveryTextMatches() {
        ServingEngine engine = engine(runner, 4, 256, 64);
        List<GenerationRequest> backlog = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            backlog.add(DefaultModel.asBatch(
                    DefaultModel.greedy("batch-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 48, true)));
            submit(engine, backlog.get(i));
        }
        for (int i = 0; i < 4; i++) {
            step(engine, new OutboundEvents());
        }
        assertEquals(4, gauge("llmserve.requests.running.by.priority", "batch"), "the backlog holds every seat");
        assertEquals(4, gauge("llmserve.requests.waiting.by.priority", "batch"));

        List<GenerationRequest> urgent = List.of(
                DefaultModel.greedy("urgent-0", model.encode(DefaultModel.PROMPTS.get(8)), 32, false),
                DefaultModel.greedy("urgent-1", model.encode(DefaultModel.PROMPTS.get(9)), 32, false));
        urgent.forEach(r -> submit(engine, r));
        OutboundEvents out = new OutboundEvents();
        ScheduledBatch next = step(engine, out);
        for (GenerationRequest r : urgent) {
            assertTrue(carries(next, r.requestId()), r.requestId() + " runs in the very next step");
            assertTrue(firstTokenIn(out, r.requestId()), r.requestId() + " got its first token from it");
        }
        assertEquals(2, next.preempted(), "two batch sequences gave their seats");
        assertEquals(2, gauge("llmserve.requests.running.by.priority", "batch"));
        assertEquals(6, gauge("llmserve.requests.waiting.by.priority", "batch"));
        assertEquals(2, gauge("llmserve.requests.running.by.priority", "interactive"));

        runToEnd(engine);
        int lastInteractive = Math.max(finishedAtStep.get("urgent-0"), finishedAtStep.get("urgent-1"));
        for (GenerationRequest r : backlog) {
            assertTrue(finishedAtStep.get(r.requestId()) > lastInteractive,
                    r.requestId() + " finished after the interactive requests that arrived behind it");
        }
        for (GenerationRequest r : backlog) {
            assertMatchesGenerator(runner, r);
        }
        for (GenerationRequest r : urgent) {
            assertMatchesGenerator(runner, r);
        }
        assertEquals(2, ttftCount("interactive"));
        assertEquals(8, ttftCount("batch"));
        assertEquals(10, registry.get("llmserve.time.to.first.token").timer().count(), "the total counts both");
        assertEquals(0, gauge("llmserve.requests.running.by.priority", "batch"));
        assertEquals(0, registry.get("llmserve.kv.blocks.used").gauge().value());
    }

    @Test
    void aBacklogHoldingEveryKvBlockGivesWayToAnInteractiveRequestAndStillCompletes() {
        // 8 blocks of 16 tokens: six batch requests of up to 53 tokens cannot all hold theirs at once
        try (ModelRunner small = model.runnerWithBlocks(8)) {
            ServingEngine engine = engine(small, 16, 256, 256);
            List<GenerationRequest> backlog = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                backlog.add(DefaultModel.asBatch(
                        DefaultModel.greedy("batch-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 48, true)));
                submit(engine, backlog.get(i));
            }
            while (registry.get("llmserve.kv.blocks.used").gauge().value() < 8) {
                step(engine, new OutboundEvents());
                assertTrue(steps < 100, "the backlog never filled the cache");
            }

            GenerationRequest urgent = DefaultModel.greedy("urgent", model.encode(DefaultModel.PROMPTS.get(10)), 40,
                    true);
            submit(engine, urgent);
            OutboundEvents out = new OutboundEvents();
            ScheduledBatch next = step(engine, out);
            assertTrue(carries(next, "urgent"), "it runs in the very next step");
            assertTrue(firstTokenIn(out, "urgent"));
            assertTrue(next.preempted() >= 1, "batch sequences gave up their blocks");
            assertTrue(next.sequences().stream().allMatch(s -> s.sequence().priority() == Priority.BATCH
                    || s.sequence().requestId().equals("urgent")));

            runToEnd(engine);
            assertTrue(registry.get("llmserve.preemptions").counter().count() >= next.preempted());
            for (GenerationRequest r : backlog) {
                assertMatchesGenerator(small, r);
            }
            assertMatchesGenerator(small, urgent);
            assertEquals(0, registry.get("llmserve.kv.blocks.used").gauge().value());
        }
    }

    @Test
    void aBatchRequestGivesExactlyWhatTheSameRequestGivesInteractively() {
        List<GenerationRequest> interactive = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            interactive.add(DefaultModel.greedy("same-" + i, model.encode(DefaultModel.PROMPTS.get(i + 10)), 40, false));
        }
        ServingEngine asInteractive = engine(runner, 3, 64, 16);
        interactive.forEach(r -> submit(asInteractive, r));
        runToEnd(asInteractive);
        Map<String, List<TokenEvent>> interactiveEvents = new HashMap<>(events);
        events.clear();

        ServingEngine asBatch = engine(runner, 3, 64, 16);
        interactive.forEach(r -> submit(asBatch, DefaultModel.asBatch(r)));
        runToEnd(asBatch);
        for (GenerationRequest r : interactive) {
            List<TokenEvent> batch = events.get(r.requestId());
            List<TokenEvent> plain = interactiveEvents.get(r.requestId());
            assertEquals(DefaultModel.text(plain), DefaultModel.text(batch), r.requestId());
            assertArrayEquals(DefaultModel.tokenIds(plain), DefaultModel.tokenIds(batch), r.requestId());
            assertEquals(plain.get(plain.size() - 1).finishReason(), batch.get(batch.size() - 1).finishReason());
        }
    }
}
