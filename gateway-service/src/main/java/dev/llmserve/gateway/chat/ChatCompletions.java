package dev.llmserve.gateway.chat;

import dev.llmserve.gateway.generation.GenerationEndpoint;
import dev.llmserve.gateway.generation.GenerationRequestMapper;
import dev.llmserve.gateway.generation.Generations;
import dev.llmserve.gateway.generation.PreparedGeneration;
import dev.llmserve.gateway.model.ServedModel;
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

/** Chat completions: validate, template and tokenize, run, and answer as a stream or one object. */
@Service
class ChatCompletions implements GenerationEndpoint {

    static final String PATH = "/v1/chat/completions";
    private static final String ID_PREFIX = "chatcmpl-";

    private final ChatCompletionRequestReader reader;
    private final ServedModel model;
    private final PromptEncoder encoder;
    private final GenerationRequestMapper requests;
    private final Generations generations;
    private final SseResponses sse;

    ChatCompletions(ChatCompletionRequestReader reader, ServedModel model, PromptEncoder encoder,
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
        ChatCompletionRequest request = reader.read(body);
        model.require(request.model());
        GenerationRequest generation = requests.toRequest(ID_PREFIX, encoder.chat(request.messages()), request.options(),
                "messages", priority);
        return new PreparedGeneration(generation, request.options());
    }

    @Override
    public ChatCompletion responseBody(GenerationRequest request, GenerationResult result) {
        return ChatCompletion.of(request, result);
    }

    private Mono<ResponseEntity<?>> respond(PreparedGeneration prepared) {
        GenerationRequest request = prepared.request();
        Flux<TokenEvent> events = generations.submit(request);
        if (prepared.options().stream()) {
            ChatChunks chunks = new ChatChunks(request, prepared.options().includeUsage());
            return Mono.just(sse.stream(Flux.concat(Mono.just(chunks.first()), events.concatMapIterable(chunks::after))));
        }
        return events.collectList()
                .map(all -> ResponseEntity.ok(responseBody(request, GenerationResult.of(request, all))));
    }
}
