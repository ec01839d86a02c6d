package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.batching.metrics.MicrometerEngineMetrics;
import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.speculative.PromptLookupProposer;
import dev.llmserve.engine.speculative.Proposer;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy alone, with steps simulated: the model-backed tests are in {@link ServingEngineTest}. */
class SchedulerTest {

    private static final int BLOCK = 4;

    /** γ 4, not adaptive; prompt lookup unless a test drafts with a model. */
    private Speculator speculator = speculator(new PromptLookupProposer(1, 3));

    private static Speculator speculator(Proposer proposer) {
        return new Speculator(proposer, 4, false, new MicrometerEngineMetrics(new SimpleMeterRegistry(), 4));
    }

    private Scheduler speculating(BlockManager blocks, int maxNumSeqs, int maxNumBatchedTokens) {
        return new Scheduler(blocks, maxNumSeqs, maxNumBatchedTokens, maxNumBatchedTokens, speculator);
    }

    private static Sequence sequence(long id, int length) {
        return sequence(id, length, 1000);
    }

    private Sequence speculating(long id, int length, int maxTokens) {
        Sequence seq = sequence(id, length, maxTokens);
        speculator.admit(seq, null);
        return seq;
    }

    private static Sequence sequence(long id, int length, int maxTokens) {
        int[] prompt = new int[length];
        Arrays.fill(prompt, 7);
        StreamingOutput output = new StreamingOutput((ids, skip) -> "x".repeat(ids.length), prompt,
                StopCriteria.maxTokens(maxTokens), Set.of(), true);
        return new Sequence(id, "r" + id, "topic", Priority.INTERACTIVE, prompt, SamplingParams.GREEDY, 0, output,
                maxTokens, 0);
    }

    /** What the engine does after a step: the chunk is in the cache, a sampling chunk adds a token. */
    private static void complete(ScheduledBatch batch) {
        for (ScheduledSequence s : batch.sequences()) {
            s.sequence().markComputed(s.numTokens());
            if (s.samples()) {
                s.sequence().appendToken(9, 0);
            }
        }
    }

    private static List<Long> ids(ScheduledBatch batch) {
        return batch.sequences().stream().map(s -> s.sequence().id()).toList();
    }

    @Test
    void admitsFirstComeFirstServedUpToMaxNumSeqs() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 2, 64);
        for (long id = 1; id <= 3; id++) {
            scheduler.add(sequence(id, 3));
        }
        ScheduledBatch first = scheduler.schedule();
        assertEquals(List.of(1L, 2L), ids(first));
        assertTrue(first.sequences().stream().allMatch(ScheduledSequence::samples));
        assertEquals(1, scheduler.waitingCounts().total());
        complete(first);
        assertEquals(List.of(1L, 2L), ids(scheduler.schedule()), "the third waits for a free seat");
    }

    @Test
    void chunksALongPromptAndKeepsTheDecodesFlowing() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 4, 8);
        Sequence shortOne = sequence(1, 3);
        Sequence longOne = sequence(2, 20);
        scheduler.add(shortOne);
        scheduler.add(longOne);

        ScheduledBatch first = scheduler.schedule();
        assertEquals(List.of(1L, 2L), ids(first));
        assertEquals(5, first.sequences().get(1).numTokens(), "the long prompt gets what the budget leaves");
        assertFalse(first.sequences().get(1).samples());
        assertEquals(5, longOne.numBlocks(), "admission reserves blocks for the whole prompt");
        complete(first);

        int steps = 1;
        while (longOne.numOutputTokens() == 0) {
            ScheduledBatch batch = scheduler.schedule();
            assertEquals(shortOne, batch.sequences().get(0).sequence(), "the decode comes first, every step");
            assertEquals(1, batch.sequences().get(0).numTokens());
            assertTrue(Schedulers.budgetTokens(batch) <= 8);
            complete(batch);
            steps++;
        }
        assertEquals(4, steps, "20 prompt tokens at 5, then 7, 7 and 1 per step");
        assertEquals(20, longOne.numComputedTokens());
    }

    @Test
    void preemptsTheMostRecentlyAdmittedAndRequeuesItAtTheHead() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(3, BLOCK), 4, 64);
        Sequence a = sequence(1, 4);
        Sequence b = sequence(2, 3);
        Sequence c = sequence(3, 4);
        Sequence d = sequence(4, 2);
        for (Sequence s : List.of(a, b, c, d)) {
            scheduler.add(s);
        }
        complete(scheduler.schedule()); // a, b, c admitted: every block taken; d waits. a and c now need a second
        assertEquals(3, scheduler.numRunning());

        ScheduledBatch batch = scheduler.schedule(); // a's 5th token needs a block: c goes
        assertEquals(1, batch.preempted());
        assertEquals(List.of(1L, 2L), ids(batch));
        assertEquals(SequenceStatus.WAITING, c.status());
        assertEquals(0, c.numBlocks());
        assertEquals(0, c.numComputedTokens());
        assertEquals(5, c.numTokens(), "the output so far is kept and recomputed");
        assertEquals(2, a.numBlocks(), "a got the block c gave up");
        assertEquals(2, scheduler.waitingCounts().total(), "nothing is admitted in a step that preempted");
        complete(batch);

        scheduler.finish(a);
        scheduler.finish(b);
        ScheduledBatch next = scheduler.schedule();
        assertSame(c, next.sequences().get(0).sequence(), "the preempted one is back first");
        assertEquals(5, next.sequences().get(0).numTokens(), "its prefill covers prompt and output");
        assertTrue(next.sequences().get(0).samples());
    }

    @Test
    void preemptsItselfWhenItIsTheMostRecent() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(2, BLOCK), 4, 64);
        Sequence a = sequence(1, 3);
        Sequence b = sequence(2, 4);
        scheduler.add(a);
        scheduler.add(b);
        complete(scheduler.schedule()); // a has 4 tokens (one block), b 5 (needs a second block)

        ScheduledBatch batch = scheduler.schedule();
        assertEquals(List.of(1L), ids(batch), "a still fits its block; b, the most recent, gives way");
        assertEquals(1, batch.preempted());
        assertEquals(SequenceStatus.WAITING, b.status());
        assertEquals(1, a.numBlocks());
    }

    @Test
    void finishFreesBlocksFromEitherQueue() {
        BlockManager blocks = new BlockManager(10, BLOCK);
        Scheduler scheduler = Schedulers.plain(blocks, 1, 64);
        Sequence running = sequence(1, 6);
        Sequence waiting = sequence(2, 6);
        scheduler.add(running);
        scheduler.add(waiting);
        scheduler.schedule();
        scheduler.finish(waiting);
        scheduler.finish(running);
        assertEquals(0, blocks.numUsedBlocks());
        assertFalse(scheduler.hasWork());
        assertEquals(SequenceStatus.FINISHED, running.status());
    }

    @Test
    void speculatingDecodesGetDraftSlotsAfterThePlainSchedule() {
        BlockManager blocks = new BlockManager(100, BLOCK);
        Scheduler scheduler = speculating(blocks, 4, 64);
        Sequence fast = speculating(1, 4, 1000);
        Sequence plain = sequence(2, 3);
        scheduler.add(fast);
        scheduler.add(plain);
        ScheduledBatch prefill = scheduler.schedule();
        assertTrue(prefill.sequences().stream().allMatch(s -> s.draftSlots() == 0), "prompts are not speculated");
        complete(prefill);

        ScheduledBatch batch = scheduler.schedule();
        assertEquals(4, batch.sequences().get(0).draftSlots());
        assertEquals(0, batch.sequences().get(1).draftSlots());
        assertEquals(1 + 4 + 1, Schedulers.budgetTokens(batch), "draft slots count against the budget");
        assertEquals(3, fast.numBlocks(), "positions 4..8 (the last token and 4 drafts) reach a third block");
        assertEquals(1, plain.numBlocks());

        fast.markComputed(1); // the verification rejected the first draft and added the target's token
        fast.appendToken(9, 0);
        scheduler.releaseDraftSlots(fast);
        assertEquals(2, fast.numBlocks(), "6 tokens need two blocks; the third is free again");
        assertEquals(100 - 3, blocks.numFreeBlocks());
    }

    @Test
    void draftSlotsShrinkToTheBudgetTheFreeBlocksAndMaxTokens() {
        Scheduler tight = speculating(new BlockManager(100, BLOCK), 2, 4);
        Sequence a = speculating(1, 3, 1000);
        Sequence b = speculating(2, 3, 1000);
        tight.add(a);
        tight.add(b);
        complete(tight.schedule()); // budget 4 is less than the two prompts: a whole, b a chunk of 1
        complete(tight.schedule()); // a decodes (one draft slot from the last budget token), b finishes its prompt
        ScheduledBatch budgeted = tight.schedule();
        assertEquals(List.of(2, 0), budgeted.sequences().stream().map(ScheduledSequence::draftSlots).toList(),
                "two decodes leave 2 of 4 tokens, all to the first");

        BlockManager two = new BlockManager(2, BLOCK);
        Scheduler crowded = speculating(two, 2, 64);
        Sequence c = speculating(3, 3, 1000);
        crowded.add(c);
        crowded.add(sequence(4, 3));
        complete(crowded.schedule());
        ScheduledBatch noBlock = crowded.schedule();
        assertEquals(0, noBlock.sequences().get(0).draftSlots(), "c's block is full and none is free: plain decode");
        assertEquals(0, noBlock.preempted(), "draft slots never preempt");

        Scheduler roomy = speculating(new BlockManager(100, BLOCK), 2, 64);
        Sequence nearEnd = speculating(5, 3, 3);
        roomy.add(nearEnd);
        complete(roomy.schedule());
        assertEquals(1, roomy.schedule().sequences().get(0).draftSlots(),
                "1 of 3 tokens out: a verification may emit the other 2, so one draft");
    }

    /**
     * With the committed draft model: after its first verification the draft's cache holds b's first 4
     * tokens; once b is preempted and runs again, its next proposal starts from nothing.
     */
    @Test
    void preemptionLosesTheDraftModelsCacheToo() {
        try (ModelRunner runner = ModelRunner.load(Path.of("..", "models", "brown-6m-draft"),
                new RunnerOptions("cpu", "1m", BLOCK))) {
            InProcessDraftModel draft = new InProcessDraftModel(runner, "brown-6m-draft", "");
            speculator = speculator(draft);
            Scheduler scheduler = speculating(new BlockManager(3, BLOCK), 4, 64);
            Sequence a = sequence(1, 3);
            Sequence b = speculating(2, 3, 1000);
            scheduler.add(a);
            scheduler.add(b);
            complete(scheduler.schedule()); // both prompts: a block each, one free
            ScheduledBatch speculative = scheduler.schedule();
            assertEquals(List.of(0, 4), speculative.sequences().stream().map(ScheduledSequence::draftSlots).toList(),
                    "b's drafts take the free block");
            speculator.propose(speculative);
            assertEquals(0, draft.requests().get(0).startPosition(), "the first proposal catches up from 0");
            complete(speculative); // as if b's verification rejected every draft and added token 9
            speculator.verified(b, 4, new int[] {9});
            scheduler.releaseDraftSlots(b);

            assertEquals(1, scheduler.schedule().preempted(), "a's next token needs the block b holds: b gives way");
            scheduler.finish(a);
            complete(scheduler.schedule()); // b's prefill over prompt and output
            ScheduledBatch again = scheduler.schedule();
            assertEquals(4, again.sequences().get(0).draftSlots());
            speculator.propose(again);
            DraftRequest next = draft.requests().get(1);
            assertEquals(0, next.startPosition(), "the draft's cache went with b's blocks");
            assertEquals(b.numTokens(), next.tokens().length);
        }
    }

    @Test
    void needsRoomForEveryDecodeInTheTokenBudget() {
        assertThrows(IllegalArgumentException.class, () -> Schedulers.plain(new BlockManager(4, BLOCK), 8, 4));
    }
}
