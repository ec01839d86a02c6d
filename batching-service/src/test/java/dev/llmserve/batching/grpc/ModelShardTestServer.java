package dev.llmserve.batching.grpc;

import dev.llmserve.engine.sampling.SampledToken;
import dev.llmserve.engine.sampling.SamplingRow;
import dev.llmserve.engine.speculative.DraftProposal;
import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.speculative.DraftRequest;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.OutputMode;
import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import dev.llmserve.protocol.grpc.InfoRequest;
import dev.llmserve.protocol.grpc.ModelInfo;
import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.Proposal;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeResponse;
import dev.llmserve.protocol.grpc.ProposeSequence;
import dev.llmserve.protocol.grpc.StepRequest;
import dev.llmserve.protocol.grpc.StepResponse;
import dev.llmserve.protocol.grpc.StepResult;
import dev.llmserve.protocol.grpc.StepSequence;
import dev.llmserve.protocol.grpc.TopLogprob;
import dev.llmserve.shard.ShardMapper;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real gRPC {@code ModelShard} server (Netty, a free port) over a real engine runner, standing
 * where inference-service (Step) or draft-service (Propose) stands in production, so the
 * batching-service's gRPC path is tested end to end. Steps and proposals are serialized on the
 * runner, which tests also use for reference generations.
 */
public final class ModelShardTestServer implements AutoCloseable {

    private final Server server;

    public ModelShardTestServer(ModelRunner runner, String modelName, String tokenizerHash) {
        try {
            this.server = ServerBuilder.forPort(0).addService(new Service(runner, modelName, tokenizerHash)).build()
                    .start();
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
        private final DraftProposer proposer;
        private final String modelName;
        private final String tokenizerHash;

        Service(ModelRunner runner, String modelName, String tokenizerHash) {
            this.runner = runner;
            this.proposer = new DraftProposer(runner);
            this.modelName = modelName;
            this.tokenizerHash = tokenizerHash;
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
                    .setTokenizerHash(tokenizerHash)
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

        @Override
        public void propose(ProposeRequest request, StreamObserver<ProposeResponse> response) {
            try {
                List<DraftRequest> requests = request.getSequencesList().stream().map(Service::draftRequest).toList();
                List<DraftProposal> proposals;
                synchronized (runner) {
                    proposals = proposer.propose(requests);
                }
                ProposeResponse.Builder out = ProposeResponse.newBuilder();
                for (DraftProposal p : proposals) {
                    Proposal.Builder proposal = Proposal.newBuilder().setSequenceId(p.sequenceId());
                    Arrays.stream(p.tokens()).forEach(proposal::addTokens);
                    if (p.probs() != null) {
                        for (float[] q : p.probs()) {
                            for (float v : q) {
                                proposal.addProbs(v);
                            }
                        }
                    }
                    out.addProposals(proposal);
                }
                response.onNext(out.build());
                response.onCompleted();
            } catch (RuntimeException e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        private static DraftRequest draftRequest(ProposeSequence s) {
            SamplingRow row = ShardMapper.samplingRow(s.getSequenceId(), s.getSampling(), s.getSeed(),
                    s.getPromptTokensList(), s.getOutputTokensList(), s.getOutputIndex());
            return new DraftRequest(s.getSequenceId(), ShardMapper.ints(s.getTokensList()), s.getStartPosition(),
                    ShardMapper.ints(s.getBlockTableList()), row, s.getNumTokens(), s.getReturnProbs());
        }

        private static SequenceStep step(StepSequence s) {
            OutputMode mode = switch (s.getOutput()) {
                case OUTPUT_SAMPLE -> OutputMode.SAMPLE;
                case OUTPUT_ALL_LOGITS -> OutputMode.ALL_LOGITS;
                case OUTPUT_VERIFY -> OutputMode.VERIFY;
                default -> OutputMode.NONE;
            };
            int[] tokens = ShardMapper.ints(s.getTokensList());
            SamplingRow row = mode.samples() ? ShardMapper.samplingRow(s.getSequenceId(), s.getSampling(), s.getSeed(),
                    s.getPromptTokensList(), s.getOutputTokensList(), s.getOutputIndex()) : null;
            float[][] draftProbs = null;
            if (s.getDraftProbsCount() > 0) {
                int rows = tokens.length - 1;
                int vocab = s.getDraftProbsCount() / rows;
                draftProbs = new float[rows][vocab];
                for (int i = 0; i < rows; i++) {
                    for (int v = 0; v < vocab; v++) {
                        draftProbs[i][v] = s.getDraftProbs(i * vocab + v);
                    }
                }
            }
            return new SequenceStep(s.getSequenceId(), tokens, s.getStartPosition(),
                    ShardMapper.ints(s.getBlockTableList()), mode, row, draftProbs);
        }

        private static StepResult result(SequenceResult r) {
            StepResult.Builder out = StepResult.newBuilder().setSequenceId(r.sequenceId()).setLogprob(Float.NaN);
            SampledToken sampled = r.sampled();
            if (sampled != null) {
                out.setTokenId(sampled.tokenId()).setLogprob(sampled.logprob());
                sampled.topLogprobs().forEach(t -> out.addTopLogprobs(
                        TopLogprob.newBuilder().setTokenId(t.tokenId()).setLogprob(t.logprob())));
            }
            if (r.acceptedTokens() != null) {
                Arrays.stream(r.acceptedTokens()).forEach(out::addAcceptedTokens);
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
    }
}
