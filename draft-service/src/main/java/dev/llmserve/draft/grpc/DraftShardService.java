package dev.llmserve.draft.grpc;

import dev.llmserve.draft.metrics.ProposeMetrics;
import dev.llmserve.draft.model.ModelProperties;
import dev.llmserve.draft.model.ProposalExecutor;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.tokenizer.TokenizerFingerprint;
import dev.llmserve.protocol.grpc.CopyBlocksRequest;
import dev.llmserve.protocol.grpc.CopyBlocksResponse;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The draft's {@code ModelShard}: Info, Propose and CopyBlocks (the draft cache uses the target's block tables, so
 * a block copied in the target must be copied here too). Step is the target's job and answers UNIMPLEMENTED.
 * Bad input becomes INVALID_ARGUMENT.
 */
@Component
public class DraftShardService extends ModelShardGrpc.ModelShardImplBase {

    private static final Logger log = LoggerFactory.getLogger(DraftShardService.class);

    private final ModelInfo info;
    private final ProposalExecutor executor;
    private final ProposeMapper mapper;
    private final ProposeMetrics metrics;

    public DraftShardService(ModelProperties model, ModelRunner runner, ProposalExecutor executor,
            ProposeMapper mapper, ProposeMetrics metrics) {
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
    public void propose(ProposeRequest request, StreamObserver<ProposeResponse> out) {
        reply(out, () -> mapper.toResponse(executor.propose(mapper.toRequests(request))));
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

    @Override
    public void step(StepRequest request, StreamObserver<StepResponse> out) {
        out.onError(Status.UNIMPLEMENTED.withDescription("draft-service serves Info, Propose and CopyBlocks; "
                + "steps go to the target's inference-service").asRuntimeException());
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
            log.error("draft shard call failed", e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e)
                    .asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
