package dev.llmserve.gateway.response;

import dev.llmserve.gateway.error.ErrorResponse;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams chunks as OpenAI does: one {@code data:} event of JSON per chunk, then {@code data: [DONE]}.
 * A failure after the stream has started can no longer change the status, so it is sent as a
 * {@code data: {"error":…}} event (which the OpenAI clients raise) before {@code [DONE]}.
 */
@Component
public class SseResponses {

    private static final String DONE = "[DONE]";

    private final JsonMapper mapper;

    SseResponses(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The content type is set here rather than negotiated: clients such as the Node SDK stream with
     * {@code Accept: application/json}.
     */
    public ResponseEntity<Flux<ServerSentEvent<String>>> stream(Flux<?> chunks) {
        Flux<ServerSentEvent<String>> events = chunks
                .map(chunk -> event(mapper.writeValueAsString(chunk)))
                .onErrorResume(failure -> Mono.just(event(mapper.writeValueAsString(ErrorResponse.of(failure)))))
                .concatWith(Mono.just(event(DONE)));
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .cacheControl(CacheControl.noCache())
                .body(events);
    }

    /** Spring writes "data:" + data; the space makes it byte-identical to OpenAI's "data: {…}" (parsers drop it). */
    private static ServerSentEvent<String> event(String data) {
        return ServerSentEvent.builder(" " + data).build();
    }
}
