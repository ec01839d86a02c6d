package dev.llmserve.gateway.batch.run;

/** How one attempt at a line ended. */
sealed interface LineOutcome {

    /** The line's result: for the output file ({@code ok}) or the error file. */
    record Done(boolean ok, String output) implements LineOutcome {}

    /**
     * The attempt gave no result and the line should run again under a fresh request id.
     *
     * @param requestId the attempt's request, which a last attempt's error line names
     * @param reason for the retry metric: {@code no_progress}, {@code failed} or {@code not_answered}
     * @param counted the scheduler answered it and ended it abnormally; such attempts are limited
     */
    record Retry(String requestId, String reason, boolean counted, Throwable failure) implements LineOutcome {}
}
