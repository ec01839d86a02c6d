package dev.llmserve.engine.output;

import dev.llmserve.engine.testing.DefaultModels;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import dev.llmserve.engine.tokenizer.TokenDecoder;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /**
     * brown-6m's greedy generation for {@code "I don't know," she said} (BOS + 9 prompt ids, then what
     * {@code ./llmserve generate --temperature 0} printed: {@code , "I'm not a little man. I'm not a ...}).
     */
    private static final int[] REFERENCE_IDS = {0, 35, 74, 1270, 531, 764, 45, 35, 508, 554,
            45, 361, 74, 1720, 377, 259, 871, 468, 47, 333, 1720, 377, 259, 871, 468, 47, 333};
    private static final String REFERENCE_PROMPT = "\"I don't know,\" she said";
    private static final String REFERENCE_TEXT = REFERENCE_PROMPT + ", \"I'm not a little man. I'm not a little man.";

    @Test
    void stopsOnAStopStringInTheReferenceGeneration() {
        try (TextTokenizer tokenizer = TextTokenizer.load(DefaultModels.TARGET)) {
            int[] prompt = Arrays.copyOf(REFERENCE_IDS, 10);
            StreamingOutput out = new StreamingOutput(tokenizer, prompt,
                    new StopCriteria(1000, Set.of(), List.of("little man"), false), Set.of(0), true);
            FinishReason finished = null;
            int next = prompt.length;
            while (finished == null) {
                finished = out.accept(REFERENCE_IDS[next++]).finished();
            }
            assertEquals(FinishReason.STOP, finished);
            String expected = REFERENCE_TEXT.substring(REFERENCE_PROMPT.length(), REFERENCE_TEXT.indexOf("little man"));
            assertEquals(expected, out.text());
            assertEquals(", \"I'm not a ", out.text());
        }
    }
}
