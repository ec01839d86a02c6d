package dev.llmserve.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelToolsCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void trainTokenizerWritesTheFilesAndReportsCompression(@TempDir Path tmp) {
        Path outDir = tmp.resolve("tokenizer");
        int status = run("train-tokenizer", "--corpus", "europarl-en", "--vocab-size", "2048", "--out", outDir.toString(),
                "--corpus-cache", "../.llmserve/corpus");
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(outDir.resolve("tokenizer.json")));
        assertTrue(Files.isRegularFile(outDir.resolve("tokenizer_config.json")));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("vocabulary: 2048 tokens (1 special, 256 bytes, 1791 merges)"), printed);
        Matcher compression = Pattern.compile("validation compression: (\\d+\\.\\d+) bytes/token").matcher(printed);
        assertTrue(compression.find(), printed);
        double bytesPerToken = Double.parseDouble(compression.group(1));
        assertTrue(bytesPerToken > 3 && bytesPerToken < 6, printed);
    }

    @Test
    void badArgumentsPrintUsageOrTheProblem(@TempDir Path tmp) {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train-tokenizer --out DIR"));
        err.reset();
        assertEquals(2, run("train-tokenizer", "--corpus", "wikipedia", "--out", tmp.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown corpus 'wikipedia' (known: europarl-en, brown)"));
        err.reset();
        assertEquals(2, run("train-tokenizer", "--vocab-size", "100", "--out", tmp.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("at least 257"));
        err.reset();
        assertEquals(2, run("train-tokenizer"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out is required"));
    }

    private int run(String... args) {
        return ModelToolsCli.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
