package dev.llmserve.draft.model;

import dev.llmserve.engine.speculative.DraftProposer;
import dev.llmserve.engine.step.ModelRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The draft model's {@link DraftProposer}; the {@link ModelRunner} itself comes from model-shard's configuration. */
@Configuration(proxyBeanMethods = false)
public class DraftModelConfiguration {

    @Bean
    public DraftProposer draftProposer(ModelRunner runner) {
        return new DraftProposer(runner);
    }
}
