package dev.llmserve.draft.model;

import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.step.ModelRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads the draft model once at startup; the runner's tensors are freed when the context closes. */
@Configuration(proxyBeanMethods = false)
public class DraftModelConfiguration {

    @Bean(destroyMethod = "close")
    public ModelRunner modelRunner(ModelProperties model) {
        return ModelRunner.load(model.path(), model.runnerOptions());
    }

    @Bean
    public DraftProposer draftProposer(ModelRunner runner) {
        return new DraftProposer(runner);
    }
}
