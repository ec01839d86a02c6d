package dev.llmserve.inference.grpc;

import dev.llmserve.shard.GrpcServerLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared gRPC server lifecycle, serving {@link ModelShardService} with {@code llmserve.inference.*}. */
@Configuration(proxyBeanMethods = false)
public class InferenceGrpcServerConfiguration {

    @Bean
    public GrpcServerLifecycle grpcServerLifecycle(InferenceProperties properties, ModelShardService service) {
        return new GrpcServerLifecycle(properties.serverSettings(), service, service.modelInfo());
    }
}
