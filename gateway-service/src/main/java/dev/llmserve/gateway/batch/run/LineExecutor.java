package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.error.OpenAiException;
import dev.llmserve.gateway.generation.GenerationEndpoint;
import dev.llmserve.gateway.generation.Generations;
import dev.llmserve.gateway.generation.PreparedGeneration;
import dev.llmserve.gateway.response.GenerationResult;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs one attempt at one line through the same path as an API request: the endpoint validates,
 * renders and tokenizes the body (a refusal is the line's result, as the API would have answered it),
 * {@link Generations} publishes it with priority "batch" and gathers its token events, and the
 * endpoint shapes the response body. A line that gets no token event for {@code line-timeout} has
 * lost its request: the attempt ends (which publishes its cancel) and asks to be retried.
 */
@Component
class LineExecutor {

    private record Attempt(PreparedGeneration prepared, OpenAiException refusal) {}

    private final Map<String, GenerationEndpoint> endpoints;
    private final Generations generations;
    private final OutputLines outputs;
    private final Duration lineTimeout;

    LineExecutor(List<GenerationEndpoint> endpoints, Generations generations, OutputLines outputs,
            BatchProperties properties) {
        this.endpoints = endpoints.stream().collect(Collectors.toMap(GenerationEndpoint::path, Function.identity()));
        this.generations = generations;
        this.outputs = outputs;
        this.lineTimeout = properties.lineTimeout();
    }

    /** The endpoints' paths, which line urls and batch endpoints must name. */
    Set<String> served() {
        return Set.copyOf(endpoints.keySet());
    }

    /** Never fails: it ends with the line's result or a reason to run it again. */
    Mono<LineOutcome> attempt(String batchId, String endpointPath, int index, LinePlan.Request line) {
        GenerationEndpoint endpoint = endpoints.get(endpointPath);
        return Mono.fromCallable(() -> prepare(endpoint, line))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(attempt -> attempt.refusal() != null
                        ? Mono.just(new LineOutcome.Done(false,
                                outputs.httpError(batchId, index, line.customId(), null, attempt.refusal())))
                        : generate(batchId, index, line, endpoint, attempt.prepared().request()));
    }

    /** Tokenizing is CPU work in native code, hence the bounded elastic scheduler. */
    private static Attempt prepare(GenerationEndpoint endpoint, LinePlan.Request line) {
        try {
            PreparedGeneration prepared = endpoint.prepare(line.body(), Priority.BATCH);
            if (prepared.options().stream()) {
                return new Attempt(null, OpenAiException.invalidRequest("stream",
                        "Streaming is not supported in a batch; leave 'stream' out or set it to false"));
            }
            return new Attempt(prepared, null);
        } catch (OpenAiException refusal) {
            return new Attempt(null, refusal);
        }
    }

    private Mono<LineOutcome> generate(String batchId, int index, LinePlan.Request line, GenerationEndpoint endpoint,
            GenerationRequest request) {
        AtomicBoolean answered = new AtomicBoolean();
        return generations.submit(request)
                .doOnNext(event -> answered.set(true))
                .timeout(lineTimeout)
                .collectList()
                .<LineOutcome>map(events -> new LineOutcome.Done(true, outputs.success(batchId, index, line.customId(),
                        request.requestId(), endpoint.responseBody(request, GenerationResult.of(request, events)))))
                .onErrorResume(failure -> Mono.just(retry(request.requestId(), answered.get(), failure)));
    }

    private static LineOutcome retry(String requestId, boolean answered, Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new LineOutcome.Retry(requestId, "no_progress", false, failure);
        }
        return new LineOutcome.Retry(requestId, answered ? "failed" : "not_answered", answered, failure);
    }
}
