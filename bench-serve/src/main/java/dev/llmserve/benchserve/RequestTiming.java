package dev.llmserve.benchserve;

import java.util.List;

/**
 * What one streamed request measured. {@code chunkTimes} are the arrival times (seconds since the
 * request was sent) of every chunk that carried text.
 */
record RequestTiming(boolean ok, String error, double latency, List<Double> chunkTimes, int outputTokens) {

    double ttft() {
        return chunkTimes.isEmpty() ? latency : chunkTimes.get(0);
    }

    /** Time per output token after the first, as vLLM defines TPOT. */
    double tpot() {
        return outputTokens > 1 ? (latency - ttft()) / (outputTokens - 1) : 0;
    }
}
