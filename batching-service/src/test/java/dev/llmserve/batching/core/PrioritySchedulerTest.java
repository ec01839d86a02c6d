package dev.llmserve.batching.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmserve.engine.output.OutputDelta;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.protocol.kafka.Priority;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Priority scheduling alone (real {@link Scheduler} and {@link BlockManager}, steps simulated):
 * interactive before batch, batch from spare capacity, batch preempted first, the one-step bound.
 * The model-backed checks are in {@link PriorityServingTest}.
 */
class PrioritySchedulerTest {

    private static final int BLOCK = 4;

    private static Sequence interactive(long id, int length) {
        return sequence(id, length, Priority.INTERACTIVE, 1000);
    }

    private static Sequence batch(long id, int length) {
        return sequence(id, length, Priority.BATCH, 1000);
    }

    private static Sequence sequence(long id, int length, Priority priority, int maxTokens) {
        int[] prompt = new int[length];
        Arrays.fill(prompt, 7);
        StreamingOutput output = new StreamingOutput((ids, skip) -> "x".repeat(ids.length), prompt,
                StopCriteria.maxTokens(maxTokens), Set.of(), true);
        return new Sequence(id, "r" + id, "topic", priority, prompt, SamplingParams.GREEDY, 0, output, maxTokens,
                0);
    }

    /** What the engine does after a step: chunks are in the cache, sampling ones add a token, finished ones leave. */
    private static void complete(Scheduler scheduler, ScheduledBatch batch) {
        for (ScheduledSequence s : batch.sequences()) {
            s.sequence().markComputed(s.numTokens());
            if (s.samples()) {
                OutputDelta delta = s.sequence().appendToken(9, 0);
                if (delta.isFinished()) {
                    scheduler.finish(s.sequence());
                }
            }
        }
    }

    private static List<Long> ids(ScheduledBatch batch) {
        return batch.sequences().stream().map(s -> s.sequence().id()).toList();
    }

    private static ScheduledSequence share(ScheduledBatch batch, Sequence seq) {
        return batch.sequences().stream().filter(s -> s.sequence() == seq).findFirst()
                .orElseThrow(() -> new AssertionError(seq + " is not in the step"));
    }

    @Test
    void interactiveSequencesQueueBeforeBatchOnesAndEachClassIsFirstComeFirstServed() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 3, 64);
        List<Sequence> arrivals = List.of(batch(1, 3), interactive(2, 3), batch(3, 3), interactive(4, 3),
                batch(5, 3));
        arrivals.forEach(scheduler::add);
        assertEquals(new PriorityCounts(2, 3), scheduler.waitingCounts());

        ScheduledBatch first = scheduler.schedule();
        assertEquals(List.of(2L, 4L, 1L), ids(first), "both interactive ones, then the oldest batch one");
        assertEquals(new PriorityCounts(2, 1), scheduler.runningCounts());
        complete(scheduler, first);
        scheduler.finish(arrivals.get(1));
        scheduler.finish(arrivals.get(3));

        ScheduledBatch second = scheduler.schedule();
        assertEquals(List.of(1L, 3L, 5L), ids(second), "the batch queue in arrival order");
    }

    @Test
    void anInteractiveRequestArrivingWhileBatchWorkHoldsEverySeatRunsInTheNextStep() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 4, 64);
        List<Sequence> backlog = new ArrayList<>();
        for (long id = 1; id <= 6; id++) {
            backlog.add(batch(id, 5));
            scheduler.add(backlog.get(backlog.size() - 1));
        }
        for (int step = 0; step < 3; step++) {
            complete(scheduler, scheduler.schedule());
        }
        assertEquals(new PriorityCounts(0, 4), scheduler.runningCounts(), "batch work holds every seat");

        Sequence urgent = interactive(7, 6);
        scheduler.add(urgent);
        ScheduledBatch next = scheduler.schedule();
        assertEquals(6, share(next, urgent).numTokens(), "its whole prompt runs in the very next step");
        assertTrue(share(next, urgent).samples(), "so that step samples its first token");
        assertEquals(1, next.preempted());
        Sequence newestBatch = backlog.get(3);
        assertEquals(SequenceStatus.WAITING, newestBatch.status(), "the newest batch sequence gave its seat");
        assertEquals(0, newestBatch.numBlocks());
        assertEquals(List.of(7L, 1L, 2L, 3L), ids(next), "the other batch sequences still decode");
        complete(scheduler, next);

        scheduler.finish(urgent);
        ScheduledBatch after = scheduler.schedule();
        assertSame(newestBatch, after.sequences().get(3).sequence(),
                "the preempted one went back to the head of the batch queue, before 5 and 6");
        assertEquals(new PriorityCounts(0, 2), scheduler.waitingCounts());
    }

    @Test
    void anInteractiveRequestArrivingWhileBatchWorkHoldsEveryBlockRunsInTheNextStep() {
        BlockManager blocks = new BlockManager(6, BLOCK);
        Scheduler scheduler = Schedulers.plain(blocks, 8, 64);
        Sequence b1 = batch(1, 6);
        Sequence b2 = batch(2, 6);
        Sequence b3 = batch(3, 6);
        List.of(b1, b2, b3).forEach(scheduler::add);
        complete(scheduler, scheduler.schedule());
        assertEquals(0, blocks.numFreeBlocks(), "three batch prompts of two blocks each hold the cache");

        Sequence urgent = interactive(4, 7);
        scheduler.add(urgent);
        ScheduledBatch next = scheduler.schedule();
        assertEquals(List.of(4L, 1L, 2L), ids(next));
        assertEquals(1, next.preempted(), "one batch sequence is enough to free its two blocks");
        assertEquals(SequenceStatus.WAITING, b3.status(), "and it is the newest");
        assertEquals(7, next.sequences().get(0).numTokens());
    }

    @Test
    void aDecodeThatNeedsABlockPreemptsBatchWorkBeforeANewerInteractiveSequence() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(2, BLOCK), 4, 64);
        Sequence older = batch(1, 3);
        scheduler.add(older);
        complete(scheduler, scheduler.schedule());
        Sequence newer = interactive(2, 4);
        scheduler.add(newer);
        complete(scheduler, scheduler.schedule()); // both hold one full block now: 5 tokens each

        ScheduledBatch batch = scheduler.schedule();
        assertEquals(List.of(2L), ids(batch), "the interactive decode got the batch sequence's block");
        assertEquals(1, batch.preempted());
        assertEquals(SequenceStatus.WAITING, older.status(), "batch gives way although it was admitted first");
        assertEquals(2, newer.numBlocks());
    }

    @Test
    void aBatchDecodeThatNeedsABlockNeverTakesOneFromInteractiveWork() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(2, BLOCK), 4, 64);
        Sequence first = interactive(1, 3);
        Sequence second = batch(2, 4);
        scheduler.add(first);
        scheduler.add(second);
        complete(scheduler, scheduler.schedule()); // the batch one now needs a second block, none is free

        ScheduledBatch batch = scheduler.schedule();
        assertEquals(List.of(1L), ids(batch));
        assertEquals(SequenceStatus.WAITING, second.status(), "the batch sequence gives way itself");
        assertEquals(SequenceStatus.RUNNING, first.status());
    }

    @Test
    void batchWorkIsNotPreemptedWhenThatCouldNotAdmitTheInteractiveRequest() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(3, BLOCK), 8, 64);
        Sequence big = interactive(1, 7);
        Sequence small = batch(2, 3);
        scheduler.add(big);
        scheduler.add(small);
        complete(scheduler, scheduler.schedule());

        Sequence waiting = interactive(3, 8); // two blocks: the batch one's only block would not do
        scheduler.add(waiting);
        ScheduledBatch batch = scheduler.schedule();
        assertEquals(0, batch.preempted());
        assertEquals(List.of(1L, 2L), ids(batch), "the batch sequence keeps decoding");
        assertEquals(SequenceStatus.WAITING, waiting.status());
    }

    @Test
    void noBatchSequenceIsAdmittedWhileAnInteractiveOneWaits() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 2, 64);
        scheduler.add(interactive(1, 3));
        scheduler.add(interactive(2, 3));
        complete(scheduler, scheduler.schedule());
        scheduler.add(interactive(3, 3));
        scheduler.add(batch(4, 3));

        ScheduledBatch batch = scheduler.schedule();
        assertEquals(List.of(1L, 2L), ids(batch), "interactive work holds the seats: nobody is preempted");
        assertEquals(new PriorityCounts(1, 1), scheduler.waitingCounts());
    }

    @Test
    void batchPromptChunksAreCappedPerStepInteractiveOnesAreNot() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(100, BLOCK), 4, 64, 8);
        Sequence b1 = batch(1, 20);
        Sequence b2 = batch(2, 20);
        scheduler.add(b1);
        scheduler.add(b2);

        ScheduledBatch first = scheduler.schedule();
        assertEquals(List.of(1L), ids(first), "8 batch prompt tokens per step: the second one waits");
        assertEquals(8, Schedulers.budgetTokens(first));
        complete(scheduler, first);

        Sequence urgent = interactive(3, 30);
        scheduler.add(urgent);
        ScheduledBatch second = scheduler.schedule();
        assertEquals(List.of(3L, 1L), ids(second));
        assertEquals(30, second.sequences().get(0).numTokens());
        assertEquals(8, second.sequences().get(1).numTokens());
        complete(scheduler, second);

        int steps = 2;
        while (b2.numOutputTokens() == 0) {
            ScheduledBatch step = scheduler.schedule();
            int batchPrompt = step.sequences().stream()
                    .filter(s -> s.sequence().priority() == Priority.BATCH && s.numTokens() > 1)
                    .mapToInt(ScheduledSequence::numTokens).sum();
            assertTrue(batchPrompt <= 8, "batch prompt tokens in a step: " + batchPrompt);
            complete(scheduler, step);
            steps++;
        }
        assertEquals(5, steps, "b1's last 4 tokens share step 3 with b2's first 4, then b2 takes 8 and 8");
    }

    @Test
    void batchWorkCompletesOnceTheInteractiveLoadStops() {
        Scheduler scheduler = Schedulers.plain(new BlockManager(12, BLOCK), 3, 16, 6);
        List<Sequence> all = new ArrayList<>();
        for (long id = 1; id <= 8; id++) {
            all.add(sequence(id, 5, Priority.BATCH, 10));
            scheduler.add(all.get(all.size() - 1));
        }
        int steps = 0;
        int preemptions = 0;
        for (long id = 9; scheduler.hasWork(); steps++) {
            if (steps % 3 == 0 && id <= 20) { // a steady interactive load for a while, then none
                all.add(sequence(id++, 5, Priority.INTERACTIVE, 6));
                scheduler.add(all.get(all.size() - 1));
            }
            ScheduledBatch batch = scheduler.schedule();
            preemptions += batch.preempted();
            complete(scheduler, batch);
            assertTrue(steps < 1000, "the work never finished");
        }
        assertTrue(preemptions > 0, "the interactive load preempted batch work");
        assertTrue(all.stream().allMatch(s -> s.status() == SequenceStatus.FINISHED), "everyone finished");
        assertTrue(all.stream().allMatch(s -> s.numOutputTokens() == s.maxOutputTokens()));
        assertEquals(0, scheduler.blockManager().numUsedBlocks());
        assertFalse(scheduler.hasWork());
    }

    @Test
    void batchPromptsMustBeAbleToRun() {
        assertThrows(IllegalArgumentException.class, () -> Schedulers.plain(new BlockManager(4, BLOCK), 2, 8, 0));
    }
}
