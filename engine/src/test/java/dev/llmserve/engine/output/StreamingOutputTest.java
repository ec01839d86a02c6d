package dev.llmserve.engine.output;

import dev.llmserve.engine.SharedModels;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.engine.tokenizer.TokenDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class StreamingOutputTest {

    /** A toy vocabulary whose decode is plain concatenation, so each id's delta is its piece. */
    private static final List<String> PIECES =
            List.of("<s>", "</s>", "Hello", " world", "<", "/", "end", ">", " after", "!", "<|eot|>");
    private static final int BOS = 0;
    private static final int EOS = 1;
    private static final int EOT = 10;
    private static final TokenDecoder TOY = (ids, skipSpecial) ->
            Arrays.stream(ids).mapToObj(PIECES::get).collect(Collectors.joining());

    private static StreamingOutput output(StopCriteria criteria) {
        return new StreamingOutput(TOY, new int[] {BOS}, criteria, Set.of(EOS), true);
    }

    private static int id(String piece) {
        return PIECES.indexOf(piece);
    }

    @Test
    void catchesAStopStringSplitAcrossTokens() {
        StreamingOutput out = output(new StopCriteria(100, Set.of(), List.of("</end>"), false));
        assertEquals(new OutputDelta("Hello", null), out.accept(id("Hello")));
        assertEquals(new OutputDelta(" world", null), out.accept(id(" world")));
        assertEquals(new OutputDelta("", null), out.accept(id("<")));
        assertEquals(new OutputDelta("", null), out.accept(id("/")));
        assertEquals(new OutputDelta("", null), out.accept(id("end")));
        assertEquals(new OutputDelta("", FinishReason.STOP), out.accept(id(">")));
        assertEquals("Hello world", out.text());
        assertThrows(IllegalStateException.class, () -> out.accept(id("!")));
    }

    @Test
    void releasesHeldBackTextWhenThePartialMatchFails() {
        StreamingOutput out = output(new StopCriteria(100, Set.of(), List.of("</end>"), false));
        assertEquals(new OutputDelta("Hello", null), out.accept(id("Hello")));
        assertEquals(new OutputDelta("", null), out.accept(id("<")));
        assertEquals(new OutputDelta("", null), out.accept(id("/")));
        assertEquals(new OutputDelta("</!", null), out.accept(id("!")));
        assertEquals("Hello</!", out.text());
        assertNull(out.finishReason());
    }

    @Test
    void maxTokensGivesLengthAndFlushesHeldText() {
        StreamingOutput out = output(new StopCriteria(3, Set.of(), List.of("</end>"), false));
        assertEquals(new OutputDelta("Hello", null), out.accept(id("Hello")));
        assertEquals(new OutputDelta(" world", null), out.accept(id(" world")));
        assertEquals(new OutputDelta("<", FinishReason.LENGTH), out.accept(id("<")));
        assertEquals(FinishReason.LENGTH, out.finishReason());
        assertEquals(3, out.generatedTokens());
        assertEquals("length", out.finishReason().openAiName());
    }

    @Test
    void eosGivesStopWithoutItsTextButWithHeldText() {
        StreamingOutput out = output(new StopCriteria(100, Set.of(), List.of("</end>"), false));
        out.accept(id("Hello"));
        assertEquals(new OutputDelta("", null), out.accept(id("<")));
        assertEquals(new OutputDelta("<", FinishReason.STOP), out.accept(EOS));
        assertEquals("Hello<", out.text());
    }

    @Test
    void eosOnTheLastAllowedTokenIsStopNotLength() {
        StreamingOutput out = output(StopCriteria.maxTokens(2));
        out.accept(id("Hello"));
        assertEquals(new OutputDelta("", FinishReason.STOP), out.accept(EOS));
    }

    @Test
    void ignoreEosTreatsEosAsTextButStopTokenIdsStillStop() {
        StreamingOutput out = output(new StopCriteria(100, Set.of(EOT), List.of(), true));
        assertEquals(new OutputDelta("Hello", null), out.accept(id("Hello")));
        assertEquals(new OutputDelta("</s>", null), out.accept(EOS));
        assertEquals(new OutputDelta("", FinishReason.STOP), out.accept(EOT));
        assertEquals("Hello</s>", out.text());
    }

    @Test
    void stopsOnAStopStringInTheReferenceGeneration() throws IOException {
        Path stories = SharedModels.stories260K().orElse(null);
        assumeTrue(stories != null, SharedModels.missing("stories260K"));
        int[] all = Arrays.stream(Files.readString(stories.resolve("reference/greedy_onceupon_n256.ids")).trim()
                .split("\\s+")).mapToInt(Integer::parseInt).toArray();
        String reference = Files.readString(stories.resolve("reference/greedy_onceupon_n256.txt"));
        try (TextTokenizer tokenizer = TextTokenizer.load(stories.resolve("hf"))) {
            int[] prompt = Arrays.copyOf(all, 5);
            StreamingOutput out = new StreamingOutput(tokenizer, prompt,
                    new StopCriteria(1000, Set.of(), List.of("named Lily"), false), Set.of(2), true);
            FinishReason finished = null;
            int next = prompt.length;
            while (finished == null) {
                finished = out.accept(all[next++]).finished();
            }
            assertEquals(FinishReason.STOP, finished);
            String expected = reference.substring("Once upon a time".length(), reference.indexOf("named Lily"));
            assertEquals(expected, out.text());
            assertEquals(", there was a little girl ", out.text());
        }
    }
}
