package dev.llmserve.gateway.error;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Turns every failure of the API into an OpenAI-shaped error body with the right status. The body is
 * JSON whatever the request's {@code Accept} says: a streaming client that asked for
 * {@code text/event-stream} still gets a JSON error, as from OpenAI, not an SSE event.
 */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler
    ResponseEntity<ErrorResponse> openAi(OpenAiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_JSON);
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return response.body(e.body());
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> input(ServerWebInputException e) {
        return openAi(OpenAiException.invalidRequest(null, e.getReason()));
    }

    /** Unknown paths (404), wrong methods (405) and the like, worded as OpenAI words them. */
    @ExceptionHandler
    ResponseEntity<ErrorResponse> status(ResponseStatusException e, ServerWebExchange exchange) {
        String message = e.getStatusCode().value() == 404
                ? "Invalid URL (" + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath() + ")"
                : e.getReason() != null ? e.getReason() : e.getMessage();
        String type = e.getStatusCode().is4xxClientError() ? "invalid_request_error" : "server_error";
        return ResponseEntity.status(e.getStatusCode())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorResponse(new ErrorResponse.Detail(message, type, null, null)));
    }

    @ExceptionHandler
    ResponseEntity<ErrorResponse> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorResponse.of(e));
    }
}
