package dev.llmserve.batching.grpc;

import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.sampling.TokenHistory;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.protocol.grpc.TokenLogprob;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real gRPC {@code ModelShard} server (Netty, a free port) over a real engine runner, standing
 * where inference-service stands in production, so the batching-service's gRPC path is tested end
 * to end. Steps are serialized on the runner, which tests also use for reference generations.
 */
public final class ModelShardTestServer implements AutoCloseable {

    private final Server server;

    public ModelShardTestServer(ModelRunner runner, String modelName) {
        try {
            this.server = ServerBuilder.forPort(0).addService(new Service(runner, modelName)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String target() {
        return "localhost:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private static final class Service extends ModelShardGrpc.ModelShardImplBase {

        private final ModelRunner runner;
        private final String modelName;

        Service(ModelRunner runner, String modelName) {
            this.runner = runner;
            this.modelName = modelName;
        }

        @Override
        public void info(InfoRequest request, StreamObserver<ModelInfo> response) {
            response.onNext(ModelInfo.newBuilder()
                    .setModelName(modelName)
                    .setVocabSize(runner.config().vocabSize())
                    .setContextLength(runner.config().maxPositions())
                    .setNumBlocks(runner.cacheSpec().numBlocks())
                    .setBlockSize(runner.cacheSpec().blockSize())
                    .setDevice(runner.device())
                    .build());
            response.onCompleted();
        }

        @Override
        public void step(StepRequest request, StreamObserver<StepResponse> response) {
            try {
                List<SequenceStep> steps = request.getSequencesList().stream().map(Service::step).toList();
                List<SequenceResult> results;
                synchronized (runner) {
                    results = runner.step(steps);
                }
                StepResponse.Builder out = StepResponse.newBuilder();
                results.forEach(r -> out.addResults(result(r)));
                response.onNext(out.build());
                response.onCompleted();
            } catch (RuntimeException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        private static SequenceStep step(dev.llmserve.protocol.grpc.SequenceStep s) {
            OutputMode mode = switch (s.getOutput()) {
                case OUTPUT_SAMPLE -> OutputMode.SAMPLE;
                case OUTPUT_ALL_LOGITS -> OutputMode.ALL_LOGITS;
                default -> OutputMode.NONE;
            };
            SamplingRow row = null;
            if (mode == OutputMode.SAMPLE) {
                dev.llmserve.protocol.grpc.SamplingParams p = s.getSampling();
                SamplingParams params = new SamplingParams(p.getTemperature(), p.getTopK(), p.getTopP(), p.getMinP(),
                        p.getRepetitionPenalty(), p.getPresencePenalty(), p.getFrequencyPenalty(),
                        p.getLogitBiasMap(), s.getSeed(), p.getLogprobs());
                TokenHistory history = new TokenHistory(ints(s.getPromptTokensList()), ints(s.getOutputTokensList()));
                row = new SamplingRow(params, history, s.getSeed(), s.getOutputIndex());
            }
            return new SequenceStep(s.getSequenceId(), ints(s.getTokensList()), s.getStartPosition(),
                    ints(s.getBlockTableList()), mode, row);
        }

        private static dev.llmserve.protocol.grpc.SequenceResult result(SequenceResult r) {
            dev.llmserve.protocol.grpc.SequenceResult.Builder out = dev.llmserve.protocol.grpc.SequenceResult
                    .newBuilder().setSequenceId(r.sequenceId()).setLogprob(Float.NaN);
            SampledToken sampled = r.sampled();
            if (sampled != null) {
                out.setTokenId(sampled.tokenId()).setLogprob(sampled.logprob());
                sampled.topLogprobs().forEach(t -> out.addTopLogprobs(
                        TokenLogprob.newBuilder().setTokenId(t.tokenId()).setLogprob(t.logprob())));
            }
            if (r.logits() != null) {
                List<Float> flat = new ArrayList<>();
                for (float[] row : r.logits()) {
                    for (float v : row) {
                        flat.add(v);
                    }
                }
                out.addAllLogits(flat);
            }
            return out.build();
        }

        private static int[] ints(List<Integer> values) {
            return values.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
