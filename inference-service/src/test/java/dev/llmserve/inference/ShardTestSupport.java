package dev.llmserve.inference;

import dev.llmserve.protocol.grpc.ModelShardGrpc;
import dev.llmserve.shard.GrpcServerLifecycle;
import dev.llmserve.shard.DefaultModels;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on the committed brown-6m: real weights, HTTP on a random port, gRPC on a free port,
 * and a real gRPC client. Subclasses share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "llmserve.model.device=cpu",
        "llmserve.model.kv-cache-memory=64m",
        "llmserve.inference.grpc-port=0"})
abstract class ShardTestSupport {

    static final int ALL_LOGITS_REPLY_LIMIT = 64 << 20;

    @Autowired
    GrpcServerLifecycle grpcServer;

    ManagedChannel channel;
    ModelShardGrpc.ModelShardBlockingStub shard;

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("llmserve.model.path", () -> hfFolder().toString());
    }

    static Path hfFolder() {
        return DefaultModels.TARGET;
    }

    @BeforeEach
    void connect() {
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", grpcServer.port(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(ALL_LOGITS_REPLY_LIMIT)
                .build();
        shard = ModelShardGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
