package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.request.RequestBodyReader;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** POST /v1/completions; like chat, the body is parsed by the gateway and any Accept is served. */
@RestController
class CompletionsController {

    private final Completions completions;
    private final RequestBodyReader bodies;

    CompletionsController(Completions completions, RequestBodyReader bodies) {
        this.completions = completions;
        this.bodies = bodies;
    }

    @PostMapping(Completions.PATH)
    Mono<ResponseEntity<?>> create(ServerHttpRequest request) {
        return bodies.read(request).flatMap(completions::create);
    }
}
