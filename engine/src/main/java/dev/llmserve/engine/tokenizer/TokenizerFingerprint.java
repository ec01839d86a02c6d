package dev.llmserve.engine.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A tokenizer's identity: the SHA-256 of the model folder's {@code tokenizer.json}. A draft model
 * is only usable with a target that numbers tokens the same way, and two services compare this
 * string to know.
 */
public final class TokenizerFingerprint {

    private TokenizerFingerprint() {}

    /** Lower-case hex SHA-256 of {@code modelDir/tokenizer.json}; empty when the folder has none. */
    public static String of(Path modelDir) {
        Path file = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
