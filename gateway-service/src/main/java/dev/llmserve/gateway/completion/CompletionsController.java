package dev.llmserve.gateway.completion;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** POST /v1/completions; like chat, the body is parsed by the gateway and any Accept is served. */
@RestController
class CompletionsController {

    private final Completions completions;

    CompletionsController(Completions completions) {
        this.completions = completions;
    }

    @PostMapping("/v1/completions")
    Mono<ResponseEntity<?>> create(@RequestBody(required = false) String body) {
        return completions.create(body);
    }
}
