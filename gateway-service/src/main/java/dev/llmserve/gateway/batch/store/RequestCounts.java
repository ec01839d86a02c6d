package dev.llmserve.gateway.batch.store;

/** OpenAI's {@code request_counts}: lines in all, lines in the output file, lines in the error file. */
public record RequestCounts(int total, int completed, int failed) {

    public static final RequestCounts NONE = new RequestCounts(0, 0, 0);
}
