package dev.llmserve.draft;

import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.protocol.grpc.Proposal;
import dev.llmserve.protocol.grpc.ProposeRequest;
import dev.llmserve.protocol.grpc.ProposeSequence;
import dev.llmserve.protocol.grpc.Sampling;
import dev.llmserve.shard.GrpcServerLifecycle;
import dev.llmserve.shard.DefaultModels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on the committed brown-6m-draft: real weights, HTTP on a random port, gRPC on a free
 * port, and a real gRPC client. Subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "llmserve.model.device=cpu",
        "llmserve.model.kv-cache-memory=16m",
        "llmserve.draft.grpc-port=0"})
abstract class DraftShardTestSupport {

    static final int[] PROMPT = DefaultModels.PROMPT;
    static final int VOCAB = 4096;

    @Autowired
    GrpcServerLifecycle grpcServer;

    ManagedChannel channel;
    ModelShardGrpc.ModelShardBlockingStub shard;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("llmserve.model.path", () -> hfFolder().toString());
    }

    static Path hfFolder() {
        return DefaultModels.DRAFT;
    }

    @BeforeEach
    void connect() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcServer.port(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(64 << 20)
                .build();
        shard = ModelShardGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** A greedy proposal of {@code gamma} tokens after {@code tokens}, written at {@code start} through {@code blocks}. */
    static ProposeSequence.Builder greedy(long id, int[] tokens, int start, List<Integer> blocks, int gamma) {
        return ProposeSequence.newBuilder().setSequenceId(id).addAllTokens(boxed(tokens)).setStartPosition(start)
                .addAllBlockTable(blocks).setSampling(Sampling.newBuilder().setTemperature(0f))
                .setNumTokens(gamma);
    }

    Proposal proposeOne(ProposeSequence.Builder sequence) {
        return shard.propose(ProposeRequest.newBuilder().addSequences(sequence).build()).getProposals(0);
    }

    static List<Integer> boxed(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
