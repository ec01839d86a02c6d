package dev.llmserve.protocol.kafka;

/**
 * Token counts of a finished request.
 *
 * @param acceptedDraftTokens draft tokens the target's verifications accepted for this request; null
 *     when the request did not speculate (also what a message from an older scheduler decodes to)
 * @param rejectedDraftTokens draft tokens proposed for this request and rejected; null as above
 */
public record Usage(int promptTokens, int completionTokens, Integer acceptedDraftTokens,
        Integer rejectedDraftTokens) {

    /** The usage of a request that ran without speculative decoding. */
    public Usage(int promptTokens, int completionTokens) {
        this(promptTokens, completionTokens, null, null);
    }
}
