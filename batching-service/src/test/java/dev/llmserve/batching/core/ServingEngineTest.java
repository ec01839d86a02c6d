package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler and engine on the committed brown-6m, stepped in process. */
class ServingEngineTest {

    private static DefaultModel model;
    private static ModelRunner runner;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<ScheduledBatch> batches = new ArrayList<>();

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

    private ServingEngine engine(ModelRunner on, int maxNumSeqs, int maxNumBatchedTokens) {
        TargetModel executor = new InProcessTargetModel(on, DefaultModel.NAME, model.tokenizerHash());
        ShardInfo info = executor.info();
        Scheduler scheduler = Schedulers.plain(new BlockManager(info.numBlocks(), info.blockSize()), maxNumSeqs,
                maxNumBatchedTokens);
        SequenceFactory sequences = new SequenceFactory(model.tokenizer().tokenizer(),
                model.tokenizer().eosTokenIds(), info);
        return new ServingEngine(scheduler, executor, sequences, model.tokenizer()::piece,
                new MicrometerEngineMetrics(registry, maxNumSeqs));
    }

    /** Steps until every request has finished; returns each request's events. */
    private Map<String, List<TokenEvent>> runAll(ServingEngine engine, List<GenerationRequest> requests) {
        Map<String, List<TokenEvent>> events = new LinkedHashMap<>();
        OutboundEvents out = new OutboundEvents();
        requests.forEach(r -> engine.submit(r, System.nanoTime(), out));
        collect(out, events);
        while (engine.hasWork()) {
            OutboundEvents step = new OutboundEvents();
            batches.add(engine.step(step));
            collect(step, events);
        }
        engine.reportState();
        return events;
    }

    private static void collect(OutboundEvents out, Map<String, List<TokenEvent>> events) {
        out.events().forEach(e -> events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e));
    }

    private static void assertContiguousAndFinished(List<TokenEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).index());
            assertEquals(i == events.size() - 1, events.get(i).isLast(), "only the last event finishes");
        }
        TokenEvent last = events.get(events.size() - 1);
        assertNotNull(last.usage());
    }

    private void assertMatchesGenerator(ModelRunner on, int[] prompt, int maxTokens, boolean ignoreEos,
            List<TokenEvent> events) {
        Generator.Result expected = model.reference(on, prompt, maxTokens, ignoreEos);
        assertContiguousAndFinished(events);
        assertEquals(expected.text(), DefaultModel.text(events));
        assertArrayEquals(expected.outputTokens(), DefaultModel.tokenIds(events));
        TokenEvent last = events.get(events.size() - 1);
        assertEquals(expected.finishReason(), last.finishReason());
        assertEquals(prompt.length, last.usage().promptTokens());
        assertEquals(expected.outputTokens().length, last.usage().completionTokens());
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void sixteenConcurrentGreedyRequestsGiveTheTextEachGivesAlone() {
        ServingEngine engine = engine(runner, 64, 2048);
        List<GenerationRequest> requests = new ArrayList<>();
        Map<String, int[]> prompts = new HashMap<>();
        for (int i = 0; i < DefaultModel.PROMPTS.size(); i++) {
            int[] prompt = model.encode(DefaultModel.PROMPTS.get(i));
            prompts.put("req-" + i, prompt);
            requests.add(DefaultModel.greedy("req-" + i, prompt, 40 + 4 * i, false));
        }
        Map<String, List<TokenEvent>> events = runAll(engine, requests);

        assertEquals(16, events.size());
        for (int i = 0; i < requests.size(); i++) {
            assertMatchesGenerator(runner, prompts.get("req-" + i), 40 + 4 * i, false, events.get("req-" + i));
        }
        assertEquals(16, batches.get(0).size(), "all sixteen start in the first step");
        assertTrue(batches.stream().filter(b -> b.size() > 1).count() > 10, "steps carried several sequences");
        // the mean, not max(): Micrometer's max covers only the last few minutes, which a slow machine outlasts
        assertTrue(registry.get("llmserve.batch.size").summary().mean() > 1, "the metric saw steps of several");
        assertEquals(16, registry.get("llmserve.time.to.first.token").timer().count());
        assertEquals(0, gauge("llmserve.kv.blocks.used"));
        assertEquals(0, gauge("llmserve.requests.running"));
    }

    @Test
    void chunkedPrefillGivesTheSameTextAndLetsDecodesFlow() {
        ServingEngine engine = engine(runner, 4, 16);
        int[] story = model.encode("Once upon a time, there was a little girl named Lily. She loved to play outside"
                + " in the park with her friends. One day, she saw a big red ball under a tree. ".repeat(4));
        int[] longPrompt = Arrays.copyOf(story, 300);
        int[] shortPrompt = model.encode("The little dog");
        Map<String, List<TokenEvent>> events = runAll(engine, List.of(
                DefaultModel.greedy("short", shortPrompt, 60, true),
                DefaultModel.greedy("long", longPrompt, 30, false)));

        assertMatchesGenerator(runner, shortPrompt, 60, true, events.get("short"));
        assertMatchesGenerator(runner, longPrompt, 30, false, events.get("long"));
        List<ScheduledBatch> chunked = batches.stream()
                .filter(b -> b.sequences().stream().anyMatch(s -> !s.samples()))
                .toList();
        assertTrue(chunked.size() >= 300 / 16, "the long prompt was split into chunks");
        assertEquals(batches.get(0), chunked.get(0), "both start in the first step, the long one with a chunk");
        for (ScheduledBatch b : chunked.subList(1, chunked.size())) {
            assertTrue(Schedulers.budgetTokens(b) <= 16, "a step stays within max-num-batched-tokens");
            assertTrue(b.sequences().stream().anyMatch(s -> s.sequence().requestId().equals("short")
                    && s.numTokens() == 1 && s.samples()), "the short request decodes in every chunked step");
        }
    }

    @Test
    void aKvBudgetTooSmallForTheLoadPreemptsAndEveryRequestStillCompletes() {
        // 8 blocks of 16 tokens: each request alone fits, sixteen at once need many times that
        try (ModelRunner small = model.runnerWithBlocks(8)) {
            assertEquals(8, small.cacheSpec().numBlocks());
            ServingEngine engine = engine(small, 16, 256);
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                requests.add(DefaultModel.greedy("req-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 48, true));
            }
            Map<String, List<TokenEvent>> events = runAll(engine, requests);

            assertTrue(registry.get("llmserve.preemptions").counter().count() > 0, "preemptions were counted");
            for (int i = 0; i < 16; i++) {
                assertMatchesGenerator(small, model.encode(DefaultModel.PROMPTS.get(i)), 48, true,
                        events.get("req-" + i));
            }
            assertEquals(0, gauge("llmserve.kv.blocks.used"));
            assertEquals(8, registry.get("llmserve.kv.blocks").functionCounter().count());
        }
    }

    @Test
    void cancelEndsTheRequestAndFreesItsBlocksBeforeTheNextStep() {
        ServingEngine engine = engine(runner, 64, 2048);
        OutboundEvents out = new OutboundEvents();
        engine.submit(DefaultModel.greedy("long", model.encode("Once upon a time"), 400, true), System.nanoTime(), out);
        for (int i = 0; i < 20; i++) {
            engine.step(out);
        }
        engine.reportState();
        assertTrue(gauge("llmserve.kv.blocks.used") > 0);

        engine.cancel("long", out);
        engine.reportState();
        assertEquals(0, gauge("llmserve.kv.blocks.used"));
        assertEquals(0, gauge("llmserve.requests.running"));
        assertFalse(engine.hasWork());
        List<TokenEvent> events = out.events();
        assertContiguousAndFinished(events);
        assertEquals(21, events.size(), "20 tokens, then the cancel");
        assertEquals("cancelled", events.get(20).finishReason());
        assertEquals(20, events.get(20).usage().completionTokens());

        engine.cancel("unknown", out);
        assertEquals(21, out.events().size(), "a cancel for an id this instance does not hold is ignored");
    }

    @Test
    void aCancelThatOvertakesItsRequestEndsItOnArrival() {
        ServingEngine engine = engine(runner, 64, 2048);
        OutboundEvents out = new OutboundEvents();
        engine.cancel("early", out);
        engine.submit(DefaultModel.greedy("early", model.encode("Once upon a time"), 20, false), System.nanoTime(),
                out);
        assertFalse(engine.hasWork());
        assertEquals(1, out.events().size());
        assertEquals("cancelled", out.events().get(0).finishReason());
        assertEquals(0, out.events().get(0).index());
    }

    @Test
    void aRedeliveredRequestRunsOnce() {
        ServingEngine engine = engine(runner, 64, 2048);
        int[] prompt = model.encode("Tim had a red ball");
        GenerationRequest request = DefaultModel.greedy("twice", prompt, 30, false);
        Map<String, List<TokenEvent>> events = runAll(engine, List.of(request, request));
        Map<String, List<TokenEvent>> again = runAll(engine, List.of(request));

        assertMatchesGenerator(runner, prompt, 30, false, events.get("twice"));
        assertTrue(again.isEmpty(), "a request that already finished is not run again");
    }

    @Test
    void promptsThatCannotFitTheContextEndWithAnError() {
        ServingEngine engine = engine(runner, 64, 2048);
        int context = runner.config().maxPositions();
        int[] tooLong = new int[context];
        Arrays.fill(tooLong, 5);
        int[] outsideVocabulary = {1, 9999};
        int[] nearlyFull = new int[context - 10];
        Arrays.fill(nearlyFull, 5);
        nearlyFull[0] = 1;

        Map<String, List<TokenEvent>> events = runAll(engine, List.of(
                DefaultModel.greedy("too-long", tooLong, 16, false),
                DefaultModel.greedy("empty", new int[0], 16, false),
                DefaultModel.greedy("vocabulary", outsideVocabulary, 16, false),
                DefaultModel.greedy("zero-max", model.encode("Hi"), 0, false),
                DefaultModel.greedy("nearly-full", nearlyFull, 100, true)));

        for (String id : List.of("too-long", "empty", "vocabulary", "zero-max")) {
            List<TokenEvent> e = events.get(id);
            assertEquals(1, e.size(), id);
            assertEquals("error", e.get(0).finishReason(), id);
            assertEquals(0, e.get(0).index());
            assertNotNull(e.get(0).error(), id);
        }
        List<TokenEvent> capped = events.get("nearly-full");
        assertEquals("length", capped.get(capped.size() - 1).finishReason());
        assertEquals(10, capped.get(capped.size() - 1).usage().completionTokens(),
                "max tokens is capped at what the context leaves");
        assertNull(capped.get(capped.size() - 1).error());
    }
}
