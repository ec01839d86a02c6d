package dev.llmserve.shard;

import dev.llmserve.protocol.grpc.ModelInfo;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the gRPC server with the application context and stops it, draining calls, before the model is freed.
 * Not a component: each service declares it as a bean with its own settings and service.
 */
public class GrpcServerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServerLifecycle.class);
    private static final long DRAIN_SECONDS = 10;

    private final GrpcServerSettings settings;
    private final BindableService service;
    private final ModelInfo info;
    private volatile Server server;

    public GrpcServerLifecycle(GrpcServerSettings settings, BindableService service, ModelInfo info) {
        this.settings = settings;
        this.service = service;
        this.info = info;
    }

    @Override
    public void start() {
        Server built = Grpc.newServerBuilderForPort(settings.port(), InsecureServerCredentials.create())
                .addService(service)
                .maxInboundMessageSize((int) settings.maxMessageSize().toBytes())
                .build();
        try {
            built.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on port " + settings.port(), e);
        }
        server = built;
        log.info("{} gRPC listening on port {} serving {}", settings.label(), built.getPort(), info.getModelName());
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
        log.info("{} gRPC stopped", settings.label());
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
