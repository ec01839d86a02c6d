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
 *       left is admitted with its first chunk.</li>
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
        return new ScheduledBatch(scheduled, preempted);
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
