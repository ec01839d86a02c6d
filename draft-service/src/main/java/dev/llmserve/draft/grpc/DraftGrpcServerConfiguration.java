package dev.llmserve.draft.grpc;

import dev.llmserve.shard.GrpcServerLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared gRPC server lifecycle, serving {@link DraftShardService} with {@code llmserve.draft.*}. */
@Configuration(proxyBeanMethods = false)
public class DraftGrpcServerConfiguration {

    @Bean
    public GrpcServerLifecycle grpcServerLifecycle(DraftProperties properties, DraftShardService service) {
        return new GrpcServerLifecycle(properties.serverSettings(), service, service.modelInfo());
    }
}
