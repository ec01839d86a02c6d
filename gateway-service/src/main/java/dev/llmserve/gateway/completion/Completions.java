package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.generation.GenerationRequestFactory;
import dev.llmserve.gateway.generation.Generations;
import dev.llmserve.gateway.model.ServedModel;
import dev.llmserve.gateway.prompt.EncodedPrompt;
import dev.llmserve.gateway.prompt.PromptEncoder;
import dev.llmserve.gateway.request.GenerationOptions;
import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.gateway.response.SseResponses;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.TokenEvent;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Text completions: validate, tokenize, run, and answer as a stream or one object. */
@Service
class Completions {

    private static final String ID_PREFIX = "cmpl-";

    private record Prepared(GenerationRequest request, GenerationOptions options) {}

    private final CompletionRequestReader reader;
    private final ServedModel model;
    private final PromptEncoder encoder;
    private final GenerationRequestFactory requests;
    private final Generations generations;
    private final SseResponses sse;

    Completions(CompletionRequestReader reader, ServedModel model, PromptEncoder encoder,
            GenerationRequestFactory requests, Generations generations, SseResponses sse) {
        this.reader = reader;
        this.model = model;
        this.encoder = encoder;
        this.requests = requests;
        this.generations = generations;
        this.sse = sse;
    }

    Mono<ResponseEntity<?>> create(byte[] body) {
        // tokenizing is CPU work in native code: keep it off the event loop
        return Mono.fromCallable(() -> prepare(body))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(this::respond);
    }

    private Prepared prepare(byte[] body) {
        CompletionRequest request = reader.read(body);
        model.require(request.model());
        EncodedPrompt prompt = request.prompt() instanceof Prompt.Text text
                ? encoder.text(text.text())
                : encoder.tokens(((Prompt.Tokens) request.prompt()).ids());
        return new Prepared(requests.create(ID_PREFIX, prompt, request.options(), "prompt"), request.options());
    }

    private Mono<ResponseEntity<?>> respond(Prepared prepared) {
        GenerationRequest request = prepared.request();
        Flux<TokenEvent> events = generations.submit(request);
        if (prepared.options().stream()) {
            CompletionChunks chunks = new CompletionChunks(request, prepared.options().includeUsage());
            return Mono.just(sse.stream(events.concatMapIterable(chunks::after)));
        }
        return events.collectList()
                .map(all -> ResponseEntity.ok(Completion.of(request, GenerationResult.of(request, all))));
    }
}
