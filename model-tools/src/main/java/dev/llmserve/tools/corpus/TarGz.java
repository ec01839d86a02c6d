package dev.llmserve.tools.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads the regular files of a gzipped tar archive (ustar, as {@code npm pack} writes it) into memory. */
final class TarGz {

    private static final int BLOCK = 512;
    private static final byte REGULAR_FILE = '0';
    private static final byte OLD_REGULAR_FILE = 0;

    private TarGz() {}

    /** Path inside the archive → contents, in archive order. */
    static Map<String, byte[]> files(Path archive) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[BLOCK];
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && !isZero(header)) {
                int size = (int) Long.parseLong(field(header, 124, 12).trim(), 8);
                byte[] content = in.readNBytes(size);
                in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
                if (header[156] == REGULAR_FILE || header[156] == OLD_REGULAR_FILE) {
                    String prefix = field(header, 345, 155);
                    String name = field(header, 0, 100);
                    files.put(prefix.isEmpty() ? name : prefix + "/" + name, content);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read the tar archive " + archive + ": " + e.getMessage(), e);
        }
        return files;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
