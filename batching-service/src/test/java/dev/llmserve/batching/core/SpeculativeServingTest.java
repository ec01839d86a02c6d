package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.batching.speculative.DraftCompatibility;
import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import dev.llmserve.engine.speculative.Proposer;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.StopSpec;
import dev.llmserve.protocol.kafka.TokenEvent;
import dev.llmserve.protocol.kafka.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Speculative serving on the committed brown-6m, stepped in process: greedy output is exactly
 * what plain serving gives, with the model itself as draft, with a 2-layer cut of it, and with
 * prompt lookup; opted-out requests share the steps; rejected drafts give their blocks back.
 */
class SpeculativeServingTest {

    private static final String TRUNCATED = "brown-6m-2-layers";

    @TempDir
    static Path temp;

    private static DefaultModel model;
    private static ModelRunner target;
    private static ModelRunner selfDraft;
    private static ModelRunner truncatedDraft;
    private static String truncatedHash;
    /** The sixteen requests served without speculation: what every speculative run must give. */
    private static Run plain;

    enum Draft { SELF, TRUNCATED, NGRAM }

    /**
     * One serving run: each request's events, the batches, the steps the shard saw, the metrics (the
     * engine is kept because Micrometer's gauges hold their state weakly).
     */
    private record Run(Map<String, List<TokenEvent>> events, List<ScheduledBatch> batches,
            RecordingTargetModel shard, SimpleMeterRegistry registry, ServingEngine engine) {

        double gauge(String name) {
            return registry.get(name).gauge().value();
        }
    }

    @BeforeAll
    static void load() throws IOException {
        model = DefaultModel.load();
        target = model.runner(null);
        selfDraft = model.runner(null);
        Path truncated = DraftModels.firstLayers(model.dir(), temp.resolve(TRUNCATED), 2);
        truncatedDraft = DefaultModel.runner(truncated, null);
        truncatedHash = TokenizerFingerprint.of(truncated);
        plain = serve(target, null, null, 64, sixteen(null));
    }

    @AfterAll
    static void close() {
        for (ModelRunner runner : new ModelRunner[] {target, selfDraft, truncatedDraft}) {
            if (runner != null) {
                runner.close();
            }
        }
        if (model != null) {
            model.close();
        }
    }

    private static Proposer proposer(Draft draft, ModelRunner self) {
        return switch (draft) {
            case SELF -> new InProcessDraftModel(self, DefaultModel.NAME, model.tokenizerHash());
            case TRUNCATED -> new InProcessDraftModel(truncatedDraft, TRUNCATED, truncatedHash);
            case NGRAM -> new PromptLookupProposer(1, 3);
        };
    }

    /** Serves the requests to the end, speculating with γ up to 4; {@code proposer} null serves them plainly. */
    private static Run serve(ModelRunner on, ModelRunner draftRunner, Proposer proposer,
            int maxNumSeqs, List<GenerationRequest> requests) {
        RecordingTargetModel shard = new RecordingTargetModel(
                new InProcessTargetModel(on, DefaultModel.NAME, model.tokenizerHash()));
        ShardInfo info = shard.info();
        if (draftRunner != null) {
            info = DraftCompatibility.check(info,
                    InProcessTargetModel.shardInfo(draftRunner, "draft", model.tokenizerHash()));
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EngineMetrics metrics = new MicrometerEngineMetrics(registry, maxNumSeqs);
        Speculator speculator = proposer == null ? Speculator.off() : new Speculator(proposer, 4, true, metrics);
        ServingEngine engine = new ServingEngine(
                new Scheduler(new BlockManager(info.numBlocks(), info.blockSize()), maxNumSeqs, 2048, 2048, speculator),
                shard, new SequenceFactory(model.tokenizer().tokenizer(), model.tokenizer().eosTokenIds(), info),
                model.tokenizer()::piece, metrics);
        Map<String, List<TokenEvent>> events = new LinkedHashMap<>();
        List<ScheduledBatch> batches = new ArrayList<>();
        OutboundEvents submitted = new OutboundEvents();
        requests.forEach(r -> engine.submit(r, System.nanoTime(), submitted));
        collect(submitted, events);
        while (engine.hasWork()) {
            OutboundEvents out = new OutboundEvents();
            batches.add(engine.step(out));
            collect(out, events);
        }
        engine.reportState();
        return new Run(events, batches, shard, registry, engine);
    }

    private static Run serve(Draft draft, List<GenerationRequest> requests) {
        return serve(target, draft == Draft.SELF ? selfDraft : draft == Draft.TRUNCATED ? truncatedDraft : null,
                proposer(draft, selfDraft), 64, requests);
    }

    private static void collect(OutboundEvents out, Map<String, List<TokenEvent>> events) {
        out.events().forEach(e -> events.computeIfAbsent(e.requestId(), id -> new ArrayList<>()).add(e));
    }

    /** Sixteen greedy requests whose stop strings and max tokens end them at all sorts of places. */
    private static List<GenerationRequest> sixteen(Boolean speculative) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < DefaultModel.PROMPTS.size(); i++) {
            List<String> stops = switch (i % 4) {
                case 0 -> List.of(".");
                case 1 -> List.of(" the", "!");
                case 2 -> List.of();
                default -> List.of(",");
            };
            StopSpec stop = new StopSpec(9 + 7 * i, List.of(), stops, i % 3 == 0);
            requests.add(DefaultModel.request("req-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 0f, stop,
                    i % 2 == 1 && Boolean.FALSE.equals(speculative) ? false : null));
        }
        return requests;
    }

    private static void assertSameOutput(Run expected, Run actual) {
        assertEquals(expected.events().keySet(), actual.events().keySet());
        for (String id : expected.events().keySet()) {
            List<TokenEvent> want = expected.events().get(id);
            List<TokenEvent> got = actual.events().get(id);
            assertArrayEquals(DefaultModel.tokenIds(want), DefaultModel.tokenIds(got), id);
            assertEquals(DefaultModel.text(want), DefaultModel.text(got), id);
            TokenEvent last = got.get(got.size() - 1);
            assertEquals(want.get(want.size() - 1).finishReason(), last.finishReason(), id);
            Usage wantUsage = want.get(want.size() - 1).usage();
            assertEquals(wantUsage.promptTokens(), last.usage().promptTokens(), id);
            assertEquals(wantUsage.completionTokens(), last.usage().completionTokens(), id);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(i, got.get(i).index(), id + ": indices count 0, 1, 2, … once each");
                assertEquals(i == got.size() - 1, got.get(i).isLast(), id);
            }
        }
    }

    private static long verifications(Run run) {
        return run.shard().steps().stream().flatMap(List::stream).filter(s -> s.output() == OutputMode.VERIFY)
                .count();
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void greedyOutputIsExactlyWhatPlainServingGives(Draft draft) {
        Run speculative = serve(draft, sixteen(null));

        assertSameOutput(plain, speculative);
        Set<String> finishes = plain.events().values().stream().map(e -> e.get(e.size() - 1).finishReason())
                .collect(Collectors.toSet());
        assertEquals(Set.of("stop", "length"), finishes, "stop strings and max tokens both end requests");
        assertTrue(verifications(speculative) > 0, draft + " drafts were verified");
        assertTrue(speculative.events().values().stream().flatMap(List::stream)
                .anyMatch(e -> e.tokenIds().size() > 1), "an event carries an accepted run");
        assertTrue(speculative.batches().size() < plain.batches().size(), "fewer steps than one token per step");
        int published = speculative.events().values().stream().mapToInt(e -> DefaultModel.tokenIds(e).length).sum();
        if (draft == Draft.SELF) {
            assertTrue(speculative.shard().tokensReturned() > published,
                    "some accepted runs were cut by a stop string or max tokens, and the rest dropped");
            assertAcceptanceAndTimingMetrics(speculative);
        }
        assertEquals(0, speculative.gauge("llmserve.kv.blocks.used"));
        assertEquals(0, speculative.gauge("llmserve.requests.running"));
        assertDraftCountsInUsage(speculative, Set.of());
    }

    /**
     * Each speculating request's last event reports its draft tokens accepted and rejected; summed
     * over the requests they are the engine's counters. Plain requests report none.
     */
    private static void assertDraftCountsInUsage(Run run, Set<String> plainRequests) {
        long accepted = 0;
        long proposed = 0;
        for (Map.Entry<String, List<TokenEvent>> request : run.events().entrySet()) {
            Usage usage = request.getValue().get(request.getValue().size() - 1).usage();
            if (plainRequests.contains(request.getKey())) {
                assertNull(usage.acceptedDraftTokens(), request.getKey());
                assertNull(usage.rejectedDraftTokens(), request.getKey());
                continue;
            }
            assertNotNull(usage.acceptedDraftTokens(), request.getKey());
            assertTrue(usage.acceptedDraftTokens() >= 0 && usage.rejectedDraftTokens() >= 0, request.getKey());
            accepted += usage.acceptedDraftTokens();
            proposed += usage.acceptedDraftTokens() + usage.rejectedDraftTokens();
        }
        assertTrue(accepted > 0, "drafts were accepted");
        // counters add whole numbers, exact in a double below 2^53
        assertEquals(run.registry().get("llmserve.spec.accepted.tokens").counter().count(), accepted, 0);
        assertEquals(run.registry().get("llmserve.spec.draft.tokens").counter().count(), proposed, 0);
    }

    /** The model drafting for itself: nearly every draft accepted, and the metrics say so. */
    private static void assertAcceptanceAndTimingMetrics(Run run) {
        long verifications = verifications(run);
        double rate = run.gauge("llmserve.spec.acceptance.rate");
        assertTrue(rate > 0.9 && rate <= 1, "acceptance rate " + rate);
        assertEquals(verifications, run.registry().get("llmserve.spec.accepted.tokens.per.step").summary().count());
        assertTrue(run.registry().get("llmserve.spec.accepted.tokens.per.step").summary().mean() > 3);
        // the gauge is this very quotient of the same two counters: the same rounding
        assertEquals(rate, run.registry().get("llmserve.spec.accepted.tokens").counter().count()
                / run.registry().get("llmserve.spec.draft.tokens").counter().count(), 0);
        assertTrue(run.registry().get("llmserve.spec.draft").timer().count() > 0);
        assertTrue(run.registry().get("llmserve.spec.verify").timer().count() > 0);
        assertEquals(16, run.registry().get("llmserve.time.to.first.token").timer().count());
    }

    @Test
    void optedOutRequestsDecodePlainlyInTheSameStepsAsSpeculatingOnes() {
        Run mixed = serve(Draft.SELF, sixteen(false));

        assertSameOutput(plain, mixed);
        Set<String> optedOut = Set.of("req-1", "req-3", "req-5", "req-7", "req-9", "req-11", "req-13", "req-15");
        assertTrue(mixed.batches().stream().flatMap(b -> b.sequences().stream())
                .filter(s -> optedOut.contains(s.sequence().requestId()))
                .allMatch(s -> s.draftSlots() == 0), "opted-out requests never get draft slots");
        assertTrue(mixed.batches().stream().anyMatch(b -> b.sequences().stream()
                .anyMatch(s -> s.draftSlots() > 0) && b.sequences().stream()
                .anyMatch(s -> optedOut.contains(s.sequence().requestId()) && s.numTokens() == 1)),
                "a step carries drafts to verify and opted-out decodes together");
        assertTrue(mixed.shard().steps().stream().anyMatch(step -> step.stream()
                .anyMatch(s -> s.output() == OutputMode.VERIFY) && step.stream()
                .anyMatch(s -> s.output() == OutputMode.SAMPLE)), "VERIFY and SAMPLE rows in one target step");
        assertDraftCountsInUsage(mixed, optedOut);
        plain.events().values().forEach(events -> assertNull(events.get(events.size() - 1).usage()
                .acceptedDraftTokens(), "plain serving reports no draft tokens"));
    }

    @Test
    void sampledRequestsVerifyAgainstTheDraftsDistribution() {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(DefaultModel.request("hot-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 0.8f,
                    new StopSpec(40, List.of(), List.of(), true), null));
        }
        requests.add(DefaultModel.greedy("cold", model.encode("Once upon a time"), 40, true));
        Run run = serve(Draft.TRUNCATED, requests);

        List<SequenceStep> verifies = run.shard().steps().stream().flatMap(List::stream)
                .filter(s -> s.output() == OutputMode.VERIFY).toList();
        assertTrue(verifies.stream().anyMatch(s -> !s.sampling().params().greedy()), "sampled requests speculate");
        for (SequenceStep s : verifies) {
            if (s.sampling().params().greedy()) {
                assertNull(s.draftProbs(), "a greedy draft's q is a point mass: nothing to send");
            } else {
                assertNotNull(s.draftProbs());
                assertEquals(s.draftCount(), s.draftProbs().length);
                assertEquals(4096, s.draftProbs()[0].length);
            }
        }
        for (List<TokenEvent> events : run.events().values()) {
            assertEquals(40, DefaultModel.tokenIds(events).length);
            assertEquals("length", events.get(events.size() - 1).finishReason());
        }
        assertEquals(DefaultModel.text(run.events().get("hot-2")),
                DefaultModel.text(serve(Draft.TRUNCATED, requests).events().get("hot-2")),
                "the draws depend on seed and position only: a rerun gives the same text");
    }

    @Test
    void preemptionUnderATinyKvBudgetStillGivesThePlainText() {
        // 8 blocks of 16 tokens for target and draft: each request alone fits, sixteen at once do not
        try (ModelRunner small = model.runnerWithBlocks(8); ModelRunner smallDraft = model.runnerWithBlocks(8)) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                requests.add(DefaultModel.greedy("req-" + i, model.encode(DefaultModel.PROMPTS.get(i)), 48, true));
            }
            Run run = serve(small, smallDraft, proposer(Draft.SELF, smallDraft), 16,
                    requests);

            assertTrue(run.registry().get("llmserve.preemptions").counter().count() > 0, "preemptions happened");
            assertTrue(verifications(run) > 0);
            // plain serving gives Generator's text under preemption too (ServingEngineTest)
            assertSameOutput(serve(target, null, null, 16, requests), run);
            assertEquals(0, run.gauge("llmserve.kv.blocks.used"));
        }
    }

    @Test
    void aDraftWithAnotherTokenizerIsRefused() throws IOException {
        Path other = DraftModels.withSwappedPieces(model.dir(), temp.resolve("other-tokenizer"), "Ġa", "Ġthe");
        ShardInfo targetInfo = InProcessTargetModel.shardInfo(target, DefaultModel.NAME, model.tokenizerHash());
        ShardInfo draftInfo = InProcessTargetModel.shardInfo(truncatedDraft, "other", TokenizerFingerprint.of(other));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DraftCompatibility.check(targetInfo, draftInfo));
        assertTrue(e.getMessage().contains(model.tokenizerHash()), e.getMessage());
        assertTrue(e.getMessage().contains(TokenizerFingerprint.of(other)), e.getMessage());
        assertTrue(e.getMessage().contains("tokenizer"), e.getMessage());

        ShardInfo fits = DraftCompatibility.check(targetInfo,
                InProcessTargetModel.shardInfo(truncatedDraft, TRUNCATED, truncatedHash).withNumBlocks(3));
        assertEquals(3, fits.numBlocks(), "the block manager uses the blocks both caches have");
    }
}
