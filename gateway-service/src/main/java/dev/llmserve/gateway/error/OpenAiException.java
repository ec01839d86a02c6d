package dev.llmserve.gateway.error;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/** A failure the client sees as an OpenAI error body with this status. */
public class OpenAiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String param;
    private final String code;
    private final Duration retryAfter;

    private OpenAiException(HttpStatus status, String type, String message, String param, String code,
            Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static OpenAiException invalidRequest(String param, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", message, param, null, null);
    }

    public static OpenAiException contextLengthExceeded(String param, String message) {
        return new OpenAiException(HttpStatus.BAD_REQUEST, "invalid_request_error", message, param,
                "context_length_exceeded", null);
    }

    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error",
                "The model '" + model + "' does not exist", "model", "model_not_found", null);
    }

    /** An object the path names does not exist (a file, a batch). */
    public static OpenAiException notFound(String message) {
        return new OpenAiException(HttpStatus.NOT_FOUND, "invalid_request_error", message, null, null, null);
    }

    /** The object exists but is in a state that does not allow the operation. */
    public static OpenAiException conflict(String message) {
        return new OpenAiException(HttpStatus.CONFLICT, "invalid_request_error", message, null, null, null);
    }

    public static OpenAiException tooManyRequests(int pending, Duration retryAfter) {
        return new OpenAiException(HttpStatus.TOO_MANY_REQUESTS, "requests",
                "Too many requests are waiting (" + pending + "); retry later", null, "rate_limit_exceeded",
                retryAfter);
    }

    public static OpenAiException timeout(Duration limit) {
        return new OpenAiException(HttpStatus.GATEWAY_TIMEOUT, "server_error",
                "The request did not finish within " + limit.toSeconds() + " s and was cancelled", null, "timeout",
                null);
    }

    public static OpenAiException unavailable(String message) {
        return new OpenAiException(HttpStatus.SERVICE_UNAVAILABLE, "server_error", message, null, null, null);
    }

    public static OpenAiException serverError(String message) {
        return new OpenAiException(HttpStatus.INTERNAL_SERVER_ERROR, "server_error", message, null, null, null);
    }

    public HttpStatus status() {
        return status;
    }

    public ErrorResponse body() {
        return new ErrorResponse(new ErrorResponse.Detail(getMessage(), type, param, code));
    }

    /** Set only on 429. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
