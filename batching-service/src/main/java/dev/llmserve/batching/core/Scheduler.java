package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.batching.speculative.Speculator;
import dev.llmserve.engine.speculative.Verification;
import java.util.ArrayList;
import java.util.List;

/**
 * Continuous batching (Orca's iteration-level scheduling, vLLM's policy, with vLLM's priority
 * scheduling): a waiting queue per {@link Priority} in arrival order and a running queue per
 * priority in admission order. Each iteration, within a budget of {@code maxNumBatchedTokens} tokens
 * and {@code maxNumSeqs} sequences, interactive work is scheduled first and batch work gets what is
 * left:
 * <ol>
 *   <li>every running interactive sequence with one token to compute (a decode) gets it, taking a
 *       new block when its newest token crossed a block boundary; when no block is free, the newest
 *       running batch sequence is preempted by recompute (blocks freed, back to the head of the
 *       batch queue), and only when none is left the most recently admitted interactive one, until
 *       a block is free;</li>
 *   <li>running interactive sequences still in their prompt get the next chunk of it (chunked
 *       prefill), after the decodes, so a long prompt never holds the decodes back;</li>
 *   <li>unless an interactive sequence was preempted, waiting interactive sequences are admitted
 *       first come, first served; batch sequences never stand in their way: the newest running batch
 *       sequences are preempted for a seat or blocks (only when that is enough to admit). A prompt
 *       longer than the budget left is admitted with its first chunk;</li>
 *   <li>running batch sequences decode, then their prompts get chunks, from the budget left, the
 *       prompt chunks capped at {@code maxBatchPrefillTokens} per step so a long batch prompt never
 *       makes a step long;</li>
 *   <li>only when no interactive sequence waits and nobody was preempted, waiting batch sequences
 *       are admitted first come, first served from what is left (seats, blocks, budget and the batch
 *       prefill cap);</li>
 *   <li>speculating decodes get draft slots, in schedule order, from what the plain schedule left:
 *       γ = the sequence's own γ (from the {@link Speculator}), but no more than the budget left, the
 *       positions its blocks plus the free blocks hold, and its max tokens allow (a verification emits
 *       up to γ + 1 tokens). γ = 0 means a plain decode; draft slots never preempt anyone.</li>
 * </ol>
 * So an interactive request that arrives while batch work fills the batch runs its first prompt
 * chunk in the next step, unless interactive work alone fills that step. Admission reserves blocks
 * for all of a sequence's current tokens, so chunks never need blocks and only decodes can run out.
 * Single-threaded: the engine loop is its only user.
 */
public final class Scheduler {

    private final BlockManager blocks;
    private final int maxNumSeqs;
    private final int maxNumBatchedTokens;
    private final int maxBatchPrefillTokens;
    private final Speculator speculator;
    private final WaitingQueue waiting = new WaitingQueue();
    private final List<Sequence> runningInteractive = new ArrayList<>();
    private final List<Sequence> runningBatch = new ArrayList<>();

    /**
     * @param maxBatchPrefillTokens most prompt tokens of batch sequences in one step (chunks and admissions)
     * @param speculator each decode's γ, and who hears of preemptions (the draft's cache goes with the blocks)
     */
    public Scheduler(BlockManager blocks, int maxNumSeqs, int maxNumBatchedTokens, int maxBatchPrefillTokens,
            Speculator speculator) {
        if (maxNumSeqs < 1 || maxNumBatchedTokens < maxNumSeqs) {
            throw new IllegalArgumentException("need max-num-seqs >= 1 and max-num-batched-tokens >= max-num-seqs"
                    + " (every running sequence must fit its decode token), got " + maxNumSeqs + " and "
                    + maxNumBatchedTokens);
        }
        if (maxBatchPrefillTokens < 1) {
            throw new IllegalArgumentException("need max-batch-prefill-tokens >= 1 (batch prompts must be able to"
                    + " run), got " + maxBatchPrefillTokens);
        }
        this.blocks = blocks;
        this.maxNumSeqs = maxNumSeqs;
        this.maxNumBatchedTokens = maxNumBatchedTokens;
        this.maxBatchPrefillTokens = maxBatchPrefillTokens;
        this.speculator = speculator;
    }

    /** Queues a new sequence at the tail of its priority's waiting queue. */
    public void add(Sequence seq) {
        if (seq.status() != SequenceStatus.WAITING || seq.numBlocks() != 0) {
            throw new IllegalArgumentException(seq + " is not a new sequence");
        }
        waiting.add(seq);
    }

    public boolean hasWork() {
        return !waiting.isEmpty() || numRunning() > 0;
    }

    /** Waiting sequences per priority. */
    public PriorityCounts waitingCounts() {
        return new PriorityCounts(waiting.size(Priority.INTERACTIVE), waiting.size(Priority.BATCH));
    }

    public int numRunning() {
        return runningInteractive.size() + runningBatch.size();
    }

    /** Running sequences per priority. */
    public PriorityCounts runningCounts() {
        return new PriorityCounts(runningInteractive.size(), runningBatch.size());
    }

    public BlockManager blockManager() {
        return blocks;
    }

    /** Who gives each decode its γ; the serving engine has it draft and records the verifications. */
    public Speculator speculator() {
        return speculator;
    }

    public ScheduledBatch schedule() {
        Plan plan = new Plan(maxNumBatchedTokens);
        decode(runningInteractive, plan);
        prefill(runningInteractive, plan, plan.budget);
        if (!plan.interactivePreempted) {
            admitInteractive(plan);
        }
        decode(runningBatch, plan);
        int batchPrefill = Math.min(plan.budget, maxBatchPrefillTokens);
        batchPrefill -= prefill(runningBatch, plan, batchPrefill);
        // batch work is admitted only from spare capacity: none of it while an interactive request waits
        if (plan.preempted == 0 && waiting.peek(Priority.INTERACTIVE) == null) {
            admitBatch(plan, batchPrefill);
        }
        grantDraftSlots(plan.scheduled, plan.budget);
        return new ScheduledBatch(plan.scheduled, plan.preempted);
    }

    /** What one iteration has chosen so far. */
    private static final class Plan {
        final List<ScheduledSequence> scheduled = new ArrayList<>();
        int budget;
        int preempted;
        boolean interactivePreempted;

        Plan(int budget) {
            this.budget = budget;
        }

        void add(Sequence seq, int tokens) {
            scheduled.add(ScheduledSequence.of(seq, tokens));
            budget -= tokens;
        }
    }

    /** The decodes of one priority's running sequences, preempting the newest (batch first) for blocks. */
    private void decode(List<Sequence> running, Plan plan) {
        for (int i = 0; i < running.size() && plan.budget > 0; ) {
            Sequence seq = running.get(i);
            if (seq.numUncomputedTokens() != 1) {
                i++;
                continue;
            }
            // victims are batch sequences (decoded after this loop) or come from this queue's tail, so
            // none of them was scheduled yet
            while (!blocks.canAppend(seq)) {
                if (preemptNewest(plan) == seq) {
                    break;
                }
            }
            if (seq.status() != SequenceStatus.RUNNING) {
                break; // it was the newest itself: everything after it is gone too
            }
            blocks.appendIfNeeded(seq);
            plan.add(seq, 1);
            i++;
        }
    }

    /** The next prompt chunks of one priority's running sequences, at most {@code cap} tokens; returns those used. */
    private static int prefill(List<Sequence> running, Plan plan, int cap) {
        int used = 0;
        for (Sequence seq : running) {
            if (used == cap) {
                break;
            }
            if (seq.numUncomputedTokens() > 1) {
                int chunk = Math.min(seq.numUncomputedTokens(), cap - used);
                plan.add(seq, chunk);
                used += chunk;
            }
        }
        return used;
    }

    private void admitInteractive(Plan plan) {
        while (plan.budget > 0) {
            Sequence next = waiting.peek(Priority.INTERACTIVE);
            if (next == null || !makeRoomFor(next, plan)) {
                return; // the head of the queue is never overtaken
            }
            admit(next, plan.budget, plan);
        }
    }

    /**
     * Whether an interactive sequence can be admitted now, preempting the newest running batch
     * sequences for its seat and blocks; none is preempted when even all of them would not be enough.
     */
    private boolean makeRoomFor(Sequence seq, Plan plan) {
        int batchBlocks = runningBatch.stream().mapToInt(Sequence::numBlocks).sum();
        if (runningInteractive.size() >= maxNumSeqs
                || blocks.blocksFor(seq.numTokens()) > blocks.numFreeBlocks() + batchBlocks) {
            return false;
        }
        while ((numRunning() >= maxNumSeqs || !blocks.canAllocate(seq)) && !runningBatch.isEmpty()) {
            preemptNewest(plan);
        }
        return numRunning() < maxNumSeqs && blocks.canAllocate(seq);
    }

    private void admitBatch(Plan plan, int cap) {
        int used = 0;
        while (used < cap && numRunning() < maxNumSeqs) {
            Sequence next = waiting.peek(Priority.BATCH);
            if (next == null || !blocks.canAllocate(next)) {
                return;
            }
            used += admit(next, cap - used, plan);
        }
    }

    /** Moves the head of its waiting queue into the batch with its first chunk of at most {@code limit}. */
    private int admit(Sequence seq, int limit, Plan plan) {
        waiting.poll(seq.priority());
        blocks.allocate(seq);
        seq.setStatus(SequenceStatus.RUNNING);
        running(seq.priority()).add(seq);
        int chunk = Math.min(seq.numUncomputedTokens(), limit);
        plan.add(seq, chunk);
        return chunk;
    }

    /** Preempts the most recently admitted batch sequence, or, when none runs, the most recent interactive one. */
    private Sequence preemptNewest(Plan plan) {
        List<Sequence> from = runningBatch.isEmpty() ? runningInteractive : runningBatch;
        Sequence victim = from.remove(from.size() - 1);
        preempt(victim);
        plan.preempted++;
        plan.interactivePreempted |= victim.priority() == Priority.INTERACTIVE;
        return victim;
    }

    private List<Sequence> running(Priority priority) {
        return priority == Priority.INTERACTIVE ? runningInteractive : runningBatch;
    }

    private void grantDraftSlots(List<ScheduledSequence> scheduled, int budget) {
        for (int i = 0; i < scheduled.size() && budget > 0; i++) {
            ScheduledSequence s = scheduled.get(i);
            Sequence seq = s.sequence();
            int wanted = speculator.gamma(seq);
            // the step computes the last token, so the verification can start right after it
            if (wanted == 0 || !s.samples() || s.numTokens() != 1) {
                continue;
            }
            int untilMaxTokens = Verification.maxDrafts(seq.maxOutputTokens() - seq.numOutputTokens());
            int gamma = Math.min(Math.min(wanted, budget), Math.min(untilMaxTokens, blocks.spareSlots(seq)));
            if (gamma > 0) {
                blocks.reserveAhead(seq, gamma);
                scheduled.set(i, s.withDraftSlots(gamma));
                budget -= gamma;
            }
        }
    }

    /** After a speculative step: frees the blocks of draft slots that hold no accepted token. */
    public void releaseDraftSlots(Sequence seq) {
        blocks.trim(seq);
    }

    /** Takes a sequence out of whichever queue holds it and frees its blocks (finish, cancel, error). */
    public void finish(Sequence seq) {
        if (seq.status() == SequenceStatus.RUNNING) {
            running(seq.priority()).remove(seq);
        } else if (seq.status() == SequenceStatus.WAITING) {
            waiting.remove(seq);
        }
        blocks.free(seq);
        seq.setStatus(SequenceStatus.FINISHED);
    }

    private void preempt(Sequence seq) {
        blocks.free(seq);
        seq.resetComputed();
        speculator.preempted(seq);
        seq.setStatus(SequenceStatus.WAITING);
        waiting.requeue(seq);
    }
}
