package dev.llmserve.draft.grpc;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Starts the gRPC server with the application context and stops it, draining calls, before the model is freed. */
@Component
public class GrpcServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServerLifecycle.class);
    private static final long DRAIN_SECONDS = 10;

    private final DraftProperties properties;
    private final DraftShardService service;
    private volatile Server server;

    public GrpcServerLifecycle(DraftProperties properties, DraftShardService service) {
        this.properties = properties;
        this.service = service;
    }

    @Override
    public void start() {
        Server built = Grpc.newServerBuilderForPort(properties.grpcPort(), InsecureServerCredentials.create())
                .addService(service)
                .maxInboundMessageSize((int) properties.maxMessageSize().toBytes())
                .build();
        try {
            built.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on port " + properties.grpcPort(), e);
        }
        server = built;
        log.info("draft ModelShard gRPC listening on port {} serving {}", built.getPort(),
                service.modelInfo().getModelName());
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                running.shutdownNow();
            }
        } catch (InterruptedException e) {
            running.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        log.info("draft ModelShard gRPC stopped");
    }

    @Override
    public boolean isRunning() {
        Server running = server;
        return running != null && !running.isShutdown();
    }

    /** The port actually bound (differs from the setting when that is 0); -1 when not listening. */
    public int port() {
        Server running = server;
        return running == null ? -1 : running.getPort();
    }
}
