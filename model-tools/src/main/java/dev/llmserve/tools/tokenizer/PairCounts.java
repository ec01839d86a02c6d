package dev.llmserve.tools.tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The counts of adjacent id pairs over all pieces, kept up to date as merges rewrite pieces, so each
 * merge touches only the pieces that hold its pair (as HF's trainer does) instead of recounting the
 * corpus. A queue orders pairs by count, then by ids; its entries go stale as counts change and are
 * dropped when they surface.
 */
final class PairCounts {

    private static final Comparator<Candidate> ORDER =
            Comparator.comparingLong(Candidate::count).reversed().thenComparingLong(Candidate::pair);

    private final int[][] pieces;
    private final long[] frequencies;
    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(ORDER);

    private static final class Pair {
        long count;
        /** Pieces that held this pair when it was counted; some may have lost it since. */
        final Set<Integer> pieces = new HashSet<>();
    }

    private record Candidate(long pair, long count) {}

    PairCounts(int[][] pieces, long[] frequencies) {
        this.pieces = pieces;
        this.frequencies = frequencies;
        for (int piece = 0; piece < pieces.length; piece++) {
            count(piece, pieces[piece], frequencies[piece], null);
        }
        pairs.forEach((pair, stats) -> queue.add(new Candidate(pair, stats.count)));
    }

    static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }

    static int left(long pair) {
        return (int) (pair >>> 32);
    }

    static int right(long pair) {
        return (int) pair;
    }

    /** The most frequent pair (ties to the lowest left, then right id), or -1 when none is left. */
    long mostFrequent() {
        while (!queue.isEmpty()) {
            Candidate top = queue.peek();
            Pair current = pairs.get(top.pair());
            if (current != null && current.count == top.count()) {
                return top.pair();
            }
            queue.poll();
        }
        return -1;
    }

    /** Replaces every occurrence of {@code pair} by {@code merged}, left to right, in every piece. */
    void merge(long pair, int merged) {
        Set<Long> changed = new HashSet<>();
        for (int piece : List.copyOf(pairs.get(pair).pieces)) {
            int[] before = pieces[piece];
            int[] after = replace(before, left(pair), right(pair), merged);
            if (after.length != before.length) {
                count(piece, before, -frequencies[piece], changed);
                pieces[piece] = after;
                count(piece, after, frequencies[piece], changed);
            }
        }
        for (long key : changed) {
            Pair stats = pairs.get(key);
            if (stats != null) {
                queue.add(new Candidate(key, stats.count));
            }
        }
    }

    private void count(int piece, int[] symbols, long delta, Set<Long> changed) {
        for (int i = 0; i + 1 < symbols.length; i++) {
            long key = pair(symbols[i], symbols[i + 1]);
            Pair stats = pairs.computeIfAbsent(key, k -> new Pair());
            stats.count += delta;
            if (delta > 0) {
                stats.pieces.add(piece);
            } else if (stats.count == 0) {
                pairs.remove(key);
            }
            if (changed != null) {
                changed.add(key);
            }
        }
    }

    private static int[] replace(int[] symbols, int left, int right, int merged) {
        int[] out = new int[symbols.length];
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                out[n++] = merged;
                i++;
            } else {
                out[n++] = symbols[i];
            }
        }
        return n == symbols.length ? symbols : Arrays.copyOf(out, n);
    }
}
