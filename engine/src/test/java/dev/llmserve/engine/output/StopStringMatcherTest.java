package dev.llmserve.engine.output;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StopStringMatcherTest {

    private static StopStringMatcher.Result emit(String text) {
        return new StopStringMatcher.Result(text, false);
    }

    private static StopStringMatcher.Result stop(String text) {
        return new StopStringMatcher.Result(text, true);
    }

    @Test
    void emitsTextBeforeTheStopStringButNotTheStopStringOrWhatFollows() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("END"));
        assertEquals(emit("Hello world. "), matcher.accept("Hello world. "));
        assertEquals(stop("Bye."), matcher.accept("Bye.END and more"));
        assertThrows(IllegalStateException.class, () -> matcher.accept("x"));
    }

    @Test
    void catchesAStopStringSplitOverManyDeltas() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("</answer>"));
        assertEquals(emit("The answer"), matcher.accept("The answer</"));
        assertEquals(emit(""), matcher.accept("ans"));
        assertEquals(emit(""), matcher.accept("wer"));
        assertEquals(stop(""), matcher.accept("> trailing"));
    }

    @Test
    void holdsBackAPartialMatchAndReleasesItWhenTheMatchFails() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("STOP"));
        assertEquals(emit("go "), matcher.accept("go ST"));
        assertEquals(emit("STONE"), matcher.accept("ONE"));
        assertEquals(emit(" "), matcher.accept(" S"));
        assertEquals(emit("S!"), matcher.accept("!"));
    }

    @Test
    void findsAStopStringOverlappingAFailedPartialMatch() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("aab"));
        assertEquals(emit(""), matcher.accept("a"));
        assertEquals(emit(""), matcher.accept("a"));
        assertEquals(emit("a"), matcher.accept("a"));
        assertEquals(stop(""), matcher.accept("b"));
    }

    @Test
    void flushReleasesHeldTextWhenGenerationEndsOtherwise() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("STOP"));
        assertEquals(emit("the end "), matcher.accept("the end ST"));
        assertEquals("ST", matcher.flush());
        assertEquals("", matcher.flush());
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        StopStringMatcher matcher = new StopStringMatcher(List.of("world", "lo"));
        assertEquals(stop("Hel"), matcher.accept("Hello world"));
    }

    @Test
    void withoutStopStringsEverythingPassesStraightThrough() {
        StopStringMatcher matcher = new StopStringMatcher(List.of());
        assertEquals(emit("anything <"), matcher.accept("anything <"));
        assertEquals("", matcher.flush());
    }

    @Test
    void rejectsEmptyStopStrings() {
        assertThrows(IllegalArgumentException.class, () -> new StopStringMatcher(List.of("")));
    }
}
