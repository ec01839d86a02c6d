package dev.llmserve.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFingerprintTest {

    @TempDir
    Path dir;

    @Test
    void isTheSha256OfTokenizerJson() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Files.writeString(a.resolve("tokenizer.json"), "abc");
        // SHA-256("abc"), FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenizerFingerprint.of(a));
    }

    @Test
    void differsWhenTheTokenizerDiffersAndIsEmptyWithoutOne() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("tokenizer.json"), "{\"model\":{\"vocab\":{\"a\":0}}}");
        Files.writeString(b.resolve("tokenizer.json"), "{\"model\":{\"vocab\":{\"b\":0}}}");
        assertNotEquals(TokenizerFingerprint.of(a), TokenizerFingerprint.of(b));
        assertEquals("", TokenizerFingerprint.of(Files.createDirectories(dir.resolve("none"))));
    }
}
