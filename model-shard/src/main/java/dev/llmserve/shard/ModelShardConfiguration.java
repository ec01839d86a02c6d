package dev.llmserve.shard;

import dev.llmserve.engine.step.ModelRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared part of a shard service's context: binds {@code llmserve.model.*} and loads the model once at
 * startup (the runner's tensors are freed when the context closes). The services' {@code @SpringBootApplication}
 * scans only their own packages, so they {@code @Import} this class.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ModelProperties.class)
public class ModelShardConfiguration {

    @Bean(destroyMethod = "close")
    public ModelRunner modelRunner(ModelProperties model) {
        return ModelRunner.load(model.path(), model.runnerOptions());
    }
}
