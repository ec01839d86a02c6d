package dev.llmserve.gateway.chat;

import dev.llmserve.gateway.request.RequestBodyReader;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * POST /v1/chat/completions. The body is taken as bytes and parsed by the gateway itself, so that
 * malformed JSON and wrong types get OpenAI-shaped errors naming the parameter. Not restricted to
 * {@code produces = text/event-stream}: streaming clients send various Accept headers.
 */
@RestController
class ChatCompletionsController {

    private final ChatCompletions chat;
    private final RequestBodyReader bodies;

    ChatCompletionsController(ChatCompletions chat, RequestBodyReader bodies) {
        this.chat = chat;
        this.bodies = bodies;
    }

    @PostMapping(ChatCompletions.PATH)
    Mono<ResponseEntity<?>> create(ServerHttpRequest request) {
        return bodies.read(request).flatMap(chat::create);
    }
}
