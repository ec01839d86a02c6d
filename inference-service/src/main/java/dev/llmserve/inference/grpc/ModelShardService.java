package dev.llmserve.inference.grpc;

import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.inference.metrics.StepMetrics;
import dev.llmserve.inference.model.ModelProperties;
import dev.llmserve.inference.model.StepExecutor;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.CopyBlocksResponse;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The {@code ModelShard} RPCs: map, execute, map back; bad input becomes INVALID_ARGUMENT. */
@Component
public class ModelShardService extends ModelShardGrpc.ModelShardImplBase {

    private static final Logger log = LoggerFactory.getLogger(ModelShardService.class);

    private final ModelInfo info;
    private final StepExecutor executor;
    private final StepMapper mapper;
    private final StepMetrics metrics;

    public ModelShardService(ModelProperties model, ModelRunner runner, StepExecutor executor, StepMapper mapper,
            StepMetrics metrics) {
        this.info = ModelInfo.newBuilder()
                .setModelName(model.servedName())
                .setVocabSize(runner.config().vocabSize())
                .setContextLength(runner.config().maxPositions())
                .setNumBlocks(runner.cacheSpec().numBlocks())
                .setBlockSize(runner.cacheSpec().blockSize())
                .setDevice(runner.device())
                .setTokenizerHash(TokenizerFingerprint.of(model.path()))
                .build();
        this.executor = executor;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    public ModelInfo modelInfo() {
        return info;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<ModelInfo> out) {
        reply(out, () -> info);
    }

    @Override
    public void step(StepRequest request, StreamObserver<StepResponse> out) {
        reply(out, () -> mapper.toResponse(executor.step(mapper.toSteps(request))));
    }

    @Override
    public void copyBlocks(CopyBlocksRequest request, StreamObserver<CopyBlocksResponse> out) {
        reply(out, () -> {
            if (request.getSrcCount() != request.getDstCount()) {
                throw new IllegalArgumentException("copy needs as many destinations as sources, got "
                        + request.getSrcCount() + " and " + request.getDstCount());
            }
            executor.copyBlocks(request.getSrcList().stream().mapToInt(Integer::intValue).toArray(),
                    request.getDstList().stream().mapToInt(Integer::intValue).toArray());
            return CopyBlocksResponse.getDefaultInstance();
        });
    }

    private <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (IllegalArgumentException e) {
            metrics.recordRejected();
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.error("model shard call failed", e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e)
                    .asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
