package dev.llmserve.tools.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns byte-level BPE as GPT-2 does: texts are cut into pieces by {@link Gpt2PreTokenizer}, each
 * piece starts as its UTF-8 bytes, and the most frequent adjacent pair (summed over all pieces) is
 * merged into a new vocabulary piece until the vocabulary has the size asked for. Ties go to the pair
 * with the lower ids, so the same texts always give the same tokenizer.
 */
public final class BpeTrainer {

    public static final int DEFAULT_VOCAB_SIZE = 4096;
    /** The special token and the 256 bytes: every byte string stays encodable. */
    public static final int MIN_VOCAB_SIZE = 257;

    private BpeTrainer() {}

    /**
     * Trains on the documents; the vocabulary has {@code vocabSize} pieces unless the texts run out
     * of pairs to merge first.
     */
    public static ByteLevelBpe train(Collection<String> documents, int vocabSize) {
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("the vocabulary size must be at least " + MIN_VOCAB_SIZE
                    + " (the special token and the 256 bytes), got " + vocabSize);
        }
        List<String> vocabulary = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        vocabulary.add(SpecialTokens.END_OF_TEXT);
        for (int b = 0; b < 256; b++) {
            vocabulary.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        for (int id = 0; id < vocabulary.size(); id++) {
            ids.put(vocabulary.get(id), id);
        }

        PairCounts pairs = pieceCounts(documents);
        List<Merge> merges = new ArrayList<>();
        while (vocabulary.size() < vocabSize) {
            long pair = pairs.mostFrequent();
            if (pair < 0) {
                break;
            }
            Merge merge = new Merge(vocabulary.get(PairCounts.left(pair)), vocabulary.get(PairCounts.right(pair)));
            // two merge paths can spell the same piece ("a"+"bc", "ab"+"c"); it keeps its first id
            int id = ids.computeIfAbsent(merge.merged(), piece -> {
                vocabulary.add(piece);
                return vocabulary.size() - 1;
            });
            merges.add(merge);
            pairs.merge(pair, id);
        }
        return new ByteLevelBpe(vocabulary, merges);
    }

    /** Each distinct piece once, as byte ids (1 + byte value), with how often it occurs. */
    private static PairCounts pieceCounts(Collection<String> documents) {
        Map<String, Long> counts = new HashMap<>();
        for (String document : documents) {
            Gpt2PreTokenizer.forEachPiece(document, piece -> counts.merge(piece, 1L, Long::sum));
        }
        List<String> pieces = counts.keySet().stream().sorted().toList();
        int[][] symbols = new int[pieces.size()][];
        long[] frequencies = new long[pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            byte[] bytes = pieces.get(i).getBytes(StandardCharsets.UTF_8);
            symbols[i] = new int[bytes.length];
            for (int j = 0; j < bytes.length; j++) {
                symbols[i][j] = 1 + (bytes[j] & 0xFF);
            }
            frequencies[i] = counts.get(pieces.get(i));
        }
        return new PairCounts(symbols, frequencies);
    }
}
