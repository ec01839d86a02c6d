package dev.llmserve.tools.corpus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A deterministic train / validation split: documents are ranked by a seeded hash of their text and
 * the lowest-ranked 5% are held out. The result depends only on the documents' texts and the seed,
 * not on their order; duplicate texts are dropped first so no text lands on both sides.
 */
public record DocumentSplit(List<String> train, List<String> validation) {

    static final double VALIDATION_SHARE = 0.05;

    public static DocumentSplit of(List<String> documents, long seed) {
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(documents));
        if (unique.size() < 2) {
            throw new IllegalArgumentException("a split needs at least 2 distinct documents, got " + unique.size());
        }
        long held = Math.max(1, Math.round(unique.size() * VALIDATION_SHARE));
        Set<String> validation = new HashSet<>(unique.stream()
                .sorted(Comparator.comparingLong((String text) -> rank(text, seed)).thenComparing(text -> text))
                .limit(held)
                .toList());
        // both sides keep the source's order, so documents stay in reading order
        return new DocumentSplit(
                unique.stream().filter(text -> !validation.contains(text)).toList(),
                unique.stream().filter(validation::contains).toList());
    }

    private static long rank(String text, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
            return ByteBuffer.wrap(sha.digest(text.getBytes(StandardCharsets.UTF_8))).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
