package dev.llmserve.batching.core;

import java.util.ArrayDeque;

/**
 * Owns the KV cache's blocks: the free list, each sequence's block table and a reference count per
 * block (a block returns to the free list when its last holder lets go, so sequences forked from
 * one prompt can later share blocks). The geometry comes from the model shard that holds the
 * tensors; this class only decides which block holds which positions. Single-threaded: the engine
 * loop is its only user.
 */
public final class BlockManager {

    private final int blockSize;
    private final int[] refCounts;
    private final ArrayDeque<Integer> freeBlocks;

    public BlockManager(int numBlocks, int blockSize) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new IllegalArgumentException("need at least one block of at least one token, got "
                    + numBlocks + " × " + blockSize);
        }
        this.blockSize = blockSize;
        this.refCounts = new int[numBlocks];
        this.freeBlocks = new ArrayDeque<>(numBlocks);
        for (int b = 0; b < numBlocks; b++) {
            freeBlocks.add(b);
        }
    }

    public int numBlocks() {
        return refCounts.length;
    }

    public int numFreeBlocks() {
        return freeBlocks.size();
    }

    public int numUsedBlocks() {
        return refCounts.length - freeBlocks.size();
    }

    /** Blocks that hold {@code tokens} positions. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /** Whether a sequence without blocks can get blocks for all its current tokens. */
    public boolean canAllocate(Sequence seq) {
        return blocksFor(seq.numTokens()) <= freeBlocks.size();
    }

    /** Gives a sequence without blocks the blocks for all its current tokens. */
    public void allocate(Sequence seq) {
        if (seq.numBlocks() != 0) {
            throw new IllegalStateException(seq + " already has blocks");
        }
        if (!canAllocate(seq)) {
            throw new IllegalStateException(seq + " needs " + blocksFor(seq.numTokens()) + " blocks, "
                    + freeBlocks.size() + " are free");
        }
        grow(seq);
    }

    /** Whether the sequence's table can be grown to cover all its tokens (a token past a block boundary). */
    public boolean canAppend(Sequence seq) {
        return missingBlocks(seq) <= freeBlocks.size();
    }

    /** Adds the block the sequence's newest token needs when it crossed a block boundary. */
    public void appendIfNeeded(Sequence seq) {
        if (!canAppend(seq)) {
            throw new IllegalStateException(seq + " needs " + missingBlocks(seq) + " more blocks, none is free");
        }
        grow(seq);
    }

    /**
     * Positions past the sequence's tokens that its blocks and all free blocks could hold: the most
     * draft tokens it could verify without taking blocks from anyone.
     */
    public int spareSlots(Sequence seq) {
        return (seq.numBlocks() + freeBlocks.size()) * blockSize - seq.numTokens();
    }

    /** Grows the table to hold {@code extra} positions past the sequence's tokens (draft slots). */
    public void reserveAhead(Sequence seq, int extra) {
        if (extra > spareSlots(seq)) {
            throw new IllegalStateException(seq + " cannot hold " + extra + " more positions with "
                    + freeBlocks.size() + " free blocks");
        }
        grow(seq, blocksFor(seq.numTokens() + extra));
    }

    /** Lets go of the blocks past those the sequence's tokens need (draft slots that were rejected or unused). */
    public void trim(Sequence seq) {
        IntList table = seq.blockTable();
        for (int excess = table.size() - blocksFor(seq.numTokens()); excess > 0; excess--) {
            release(table.removeLast());
        }
    }

    /** Drops the sequence's hold on its blocks; a block nobody holds any more is free again. */
    public void free(Sequence seq) {
        IntList table = seq.blockTable();
        for (int i = 0; i < table.size(); i++) {
            release(table.get(i));
        }
        table.clear();
    }

    private void release(int block) {
        if (--refCounts[block] == 0) {
            freeBlocks.addLast(block);
        }
    }

    private int missingBlocks(Sequence seq) {
        return Math.max(0, blocksFor(seq.numTokens()) - seq.numBlocks());
    }

    private void grow(Sequence seq) {
        grow(seq, blocksFor(seq.numTokens()));
    }

    private void grow(Sequence seq, int blocks) {
        for (int missing = blocks - seq.numBlocks(); missing > 0; missing--) {
            int block = freeBlocks.removeFirst();
            refCounts[block] = 1;
            seq.blockTable().add(block);
        }
    }
}
