package dev.llmserve.tools.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EuroparlEnglishTest {

    private static final List<String> DOCUMENTS = new EuroparlEnglish().documents();

    @Test
    void keepsTheEnglishLinesOfTheMultilingualSample() {
        assertTrue(DOCUMENTS.size() > 1200 && DOCUMENTS.size() < 1350, "documents: " + DOCUMENTS.size());
        long bytes = DOCUMENTS.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
        assertTrue(bytes > 1_100_000 && bytes < 1_500_000, "bytes: " + bytes);
        for (String document : DOCUMENTS) {
            assertTrue(EnglishText.isEnglish(document), document);
            assertFalse(document.contains("\t") || document.contains("  ") || document.isBlank(), document);
        }
        assertTrue(DOCUMENTS.stream().anyMatch(d -> d.contains("Mr President")));
    }

    @Test
    void paragraphsAreLinesOfTheirOwn() {
        long withParagraphs = DOCUMENTS.stream().filter(d -> d.contains("\n")).count();
        assertTrue(withParagraphs > DOCUMENTS.size() / 2, "documents with paragraphs: " + withParagraphs);
        DOCUMENTS.forEach(d -> d.lines().forEach(line -> assertEquals(line.strip(), line)));
    }

    @Test
    void tellsEnglishFromOtherLanguages() {
        assertTrue(EnglishText.isEnglish("We should remember that education and training are the keys to Europe's future."));
        assertFalse(EnglishText.isEnglish("Die Erweiterungsstrategie nimmt kaum Rücksicht auf die Bedenken der Bürger."));
        assertFalse(EnglishText.isEnglish("Εκτιμώ βαθύτατα τη συμμετοχή της Ευρωπαϊκής Επιτροπής και του κ. Επιτρόπου."));
        assertFalse(EnglishText.isEnglish("За домакинства с ниски доходи: the и на."));
        assertFalse(EnglishText.isEnglish(""));
    }
}
