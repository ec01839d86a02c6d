package dev.llmserve.gateway.completion;

import dev.llmserve.gateway.generation.GenerationEndpoint;
import dev.llmserve.gateway.generation.GenerationRequestMapper;
import dev.llmserve.gateway.generation.Generations;
import dev.llmserve.gateway.generation.PreparedGeneration;
import dev.llmserve.gateway.model.ServedModel;
import dev.llmserve.gateway.prompt.EncodedPrompt;
import dev.llmserve.gateway.prompt.PromptEncoder;
import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.gateway.response.SseResponses;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import dev.llmserve.protocol.kafka.TokenEvent;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Text completions: validate, tokenize, run, and answer as a stream or one object. */
@Service
class Completions implements GenerationEndpoint {

    static final String PATH = "/v1/completions";
    private static final String ID_PREFIX = "cmpl-";

    private final CompletionRequestReader reader;
    private final ServedModel model;
    private final PromptEncoder encoder;
    private final GenerationRequestMapper requests;
    private final Generations generations;
    private final SseResponses sse;

    Completions(CompletionRequestReader reader, ServedModel model, PromptEncoder encoder,
            GenerationRequestMapper requests, Generations generations, SseResponses sse) {
        this.reader = reader;
        this.model = model;
        this.encoder = encoder;
        this.requests = requests;
        this.generations = generations;
        this.sse = sse;
    }

    Mono<ResponseEntity<?>> create(byte[] body) {
        // tokenizing is CPU work in native code: keep it off the event loop
        return Mono.fromCallable(() -> prepare(body, Priority.INTERACTIVE))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(this::respond);
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public PreparedGeneration prepare(byte[] body, Priority priority) {
        CompletionRequest request = reader.read(body);
        model.require(request.model());
        EncodedPrompt prompt = request.prompt() instanceof Prompt.Text text
                ? encoder.text(text.text())
                : encoder.tokens(((Prompt.Tokens) request.prompt()).ids());
        return new PreparedGeneration(requests.toRequest(ID_PREFIX, prompt, request.options(), "prompt", priority),
                request.options());
    }

    @Override
    public Completion responseBody(GenerationRequest request, GenerationResult result) {
        return Completion.of(request, result);
    }

    private Mono<ResponseEntity<?>> respond(PreparedGeneration prepared) {
        GenerationRequest request = prepared.request();
        Flux<TokenEvent> events = generations.submit(request);
        if (prepared.options().stream()) {
            CompletionChunks chunks = new CompletionChunks(request, prepared.options().includeUsage());
            return Mono.just(sse.stream(events.concatMapIterable(chunks::after)));
        }
        return events.collectList()
                .map(all -> ResponseEntity.ok(responseBody(request, GenerationResult.of(request, all))));
    }
}
