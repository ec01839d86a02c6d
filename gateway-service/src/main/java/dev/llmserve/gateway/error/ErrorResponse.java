package dev.llmserve.gateway.error;

/** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
public record ErrorResponse(Detail error) {

    public record Detail(String message, String type, String param, String code) {}

    /** The body for any failure: an {@link OpenAiException}'s own, otherwise a generic server error. */
    public static ErrorResponse of(Throwable failure) {
        if (failure instanceof OpenAiException e) {
            return e.body();
        }
        return OpenAiException.serverError("Internal error: " + failure.getMessage()).body();
    }
}
