package dev.llmserve.gateway.chat;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * POST /v1/chat/completions. The body is taken as text and parsed by the gateway itself, so that
 * malformed JSON and wrong types get OpenAI-shaped errors naming the parameter. Not restricted to
 * {@code produces = text/event-stream}: streaming clients send various Accept headers.
 */
@RestController
class ChatCompletionsController {

    private final ChatCompletions chat;

    ChatCompletionsController(ChatCompletions chat) {
        this.chat = chat;
    }

    @PostMapping("/v1/chat/completions")
    Mono<ResponseEntity<?>> create(@RequestBody(required = false) String body) {
        return chat.create(body);
    }
}
