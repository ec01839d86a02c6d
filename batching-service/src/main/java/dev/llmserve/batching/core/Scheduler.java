package dev.llmserve.batching.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Continuous batching (Orca's iteration-level scheduling, vLLM's policy): a waiting queue in arrival
 * order and a running queue in admission order. Each iteration, within a budget of
 * {@code maxNumBatchedTokens} tokens and {@code maxNumSeqs} sequences:
 * <ol>
 *   <li>every running sequence with one token to compute (a decode) gets it, taking a new block when
 *       its newest token crossed a block boundary; when no block is free, the most recently admitted
 *       running sequence is preempted by recompute (blocks freed, back to the head of the queue)
 *       until one is;</li>
 *   <li>running sequences still in their prompt get the next chunk of it (chunked prefill), after the
 *       decodes, so a long prompt never holds the decodes back;</li>
 *   <li>unless this iteration had to preempt, waiting sequences are admitted first come, first served
 *       while their blocks, the budget and the sequence limit allow; a prompt longer than the budget
 *       left is admitted with its first chunk;</li>
 *   <li>speculating decodes get draft slots, in running order, from what the plain schedule left:
 *       γ = the sequence's own γ, but no more than the budget left, the positions its blocks plus
 *       the free blocks hold, and its max tokens allow (a verification emits up to γ + 1 tokens).
 *       γ = 0 means a plain decode; draft slots never preempt anyone.</li>
 * </ol>
 * Admission reserves blocks for all of a sequence's current tokens, so chunks never need blocks and
 * only decodes can run out. Single-threaded: the engine loop is its only user.
 */
public final class Scheduler {

    private final BlockManager blocks;
    private final int maxNumSeqs;
    private final int maxNumBatchedTokens;
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private long preemptions;

    public Scheduler(BlockManager blocks, int maxNumSeqs, int maxNumBatchedTokens) {
        if (maxNumSeqs < 1 || maxNumBatchedTokens < maxNumSeqs) {
            throw new IllegalArgumentException("need max-num-seqs >= 1 and max-num-batched-tokens >= max-num-seqs"
                    + " (every running sequence must fit its decode token), got " + maxNumSeqs + " and "
                    + maxNumBatchedTokens);
        }
        this.blocks = blocks;
        this.maxNumSeqs = maxNumSeqs;
        this.maxNumBatchedTokens = maxNumBatchedTokens;
    }

    /** Queues a new sequence at the tail of the waiting queue. */
    public void add(Sequence seq) {
        if (seq.status() != SequenceStatus.WAITING || seq.numBlocks() != 0) {
            throw new IllegalArgumentException(seq + " is not a new sequence");
        }
        waiting.addLast(seq);
    }

    public boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty();
    }

    public int numWaiting() {
        return waiting.size();
    }

    public int numRunning() {
        return running.size();
    }

    /** Preemptions since start. */
    public long numPreemptions() {
        return preemptions;
    }

    public BlockManager blockManager() {
        return blocks;
    }

    public ScheduledBatch schedule() {
        List<ScheduledSequence> scheduled = new ArrayList<>();
        int budget = maxNumBatchedTokens;
        int preempted = 0;

        for (int i = 0; i < running.size() && budget > 0; ) {
            Sequence seq = running.get(i);
            if (seq.numUncomputedTokens() != 1) {
                i++;
                continue;
            }
            while (!blocks.canAppend(seq)) {
                // victims come from the tail, so none of them was scheduled in this loop yet
                Sequence victim = running.remove(running.size() - 1);
                preempt(victim);
                preempted++;
                if (victim == seq) {
                    break;
                }
            }
            if (seq.status() != SequenceStatus.RUNNING) {
                break; // it was the most recent itself: everything after it is gone too
            }
            blocks.appendIfNeeded(seq);
            scheduled.add(ScheduledSequence.of(seq, 1));
            budget--;
            i++;
        }

        for (Sequence seq : running) {
            if (budget == 0) {
                break;
            }
            if (seq.numUncomputedTokens() > 1) {
                int chunk = Math.min(seq.numUncomputedTokens(), budget);
                scheduled.add(ScheduledSequence.of(seq, chunk));
                budget -= chunk;
            }
        }

        while (preempted == 0 && budget > 0 && running.size() < maxNumSeqs && !waiting.isEmpty()
                && blocks.canAllocate(waiting.peekFirst())) {
            Sequence seq = waiting.removeFirst();
            blocks.allocate(seq);
            seq.setStatus(SequenceStatus.RUNNING);
            running.add(seq);
            int chunk = Math.min(seq.numUncomputedTokens(), budget);
            scheduled.add(ScheduledSequence.of(seq, chunk));
            budget -= chunk;
        }
        grantDraftSlots(scheduled, budget);
        return new ScheduledBatch(scheduled, preempted);
    }

    private void grantDraftSlots(List<ScheduledSequence> scheduled, int budget) {
        for (int i = 0; i < scheduled.size() && budget > 0; i++) {
            ScheduledSequence s = scheduled.get(i);
            Sequence seq = s.sequence();
            // the step computes the last token, so the verification can start right after it
            if (!seq.speculates() || !s.samples() || s.numTokens() != 1) {
                continue;
            }
            int untilMaxTokens = seq.maxOutputTokens() - seq.numOutputTokens() - 1;
            int gamma = Math.min(Math.min(seq.speculation().gamma(), budget),
                    Math.min(untilMaxTokens, blocks.spareSlots(seq)));
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
            running.remove(seq);
        } else if (seq.status() == SequenceStatus.WAITING) {
            waiting.remove(seq);
        }
        blocks.free(seq);
        seq.setStatus(SequenceStatus.FINISHED);
    }

    private void preempt(Sequence seq) {
        blocks.free(seq);
        seq.resetComputed();
        seq.setStatus(SequenceStatus.WAITING);
        waiting.addFirst(seq);
        preemptions++;
    }
}
