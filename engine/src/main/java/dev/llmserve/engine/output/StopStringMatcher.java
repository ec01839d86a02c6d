package dev.llmserve.engine.output;

import java.util.List;

/**
 * Finds stop strings in streamed text with OpenAI semantics: the text before a stop string is
 * emitted, the stop string and everything after it are not. Text that could be the start of a stop
 * string is held back rather than emitted and later retracted; once it can no longer match it is
 * released, and {@link #flush()} releases it when generation ends for another reason. Because the
 * held text is matched together with each new delta, a stop string split over several tokens is
 * found.
 */
public final class StopStringMatcher {

    /** What may be emitted now, and whether a stop string has just completed. */
    public record Result(String text, boolean stopped) {
    }

    private final List<String> stopStrings;
    private final int longestStop;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    public StopStringMatcher(List<String> stopStrings) {
        if (stopStrings.contains("")) {
            throw new IllegalArgumentException("stop strings must not be empty");
        }
        this.stopStrings = List.copyOf(stopStrings);
        this.longestStop = stopStrings.stream().mapToInt(String::length).max().orElse(0);
    }

    public Result accept(String delta) {
        if (stopped) {
            throw new IllegalStateException("a stop string was already matched");
        }
        held.append(delta);
        int stopAt = earliestStop();
        if (stopAt >= 0) {
            stopped = true;
            String text = held.substring(0, stopAt);
            held.setLength(0);
            return new Result(text, true);
        }
        int emitUpTo = held.length() - longestSuffixStartingAStopString();
        String text = held.substring(0, emitUpTo);
        held.delete(0, emitUpTo);
        return new Result(text, false);
    }

    /** The held-back text, for when generation ends without a stop string. */
    public String flush() {
        String text = held.toString();
        held.setLength(0);
        return text;
    }

    private int earliestStop() {
        int earliest = -1;
        for (String stop : stopStrings) {
            int at = held.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    private int longestSuffixStartingAStopString() {
        for (int length = Math.min(held.length(), longestStop - 1); length > 0; length--) {
            String suffix = held.substring(held.length() - length);
            for (String stop : stopStrings) {
                if (stop.startsWith(suffix)) {
                    return length;
                }
            }
        }
        return 0;
    }
}
