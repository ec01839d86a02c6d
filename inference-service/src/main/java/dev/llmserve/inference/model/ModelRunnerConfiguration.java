package dev.llmserve.inference.model;

import dev.llmserve.engine.step.ModelRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the model once at startup; the runner's tensors are freed when the context closes. */
@Configuration(proxyBeanMethods = false)
public class ModelRunnerConfiguration {

    @Bean(destroyMethod = "close")
    public ModelRunner modelRunner(ModelProperties model) {
        return ModelRunner.load(model.path(), model.runnerOptions());
    }
}
