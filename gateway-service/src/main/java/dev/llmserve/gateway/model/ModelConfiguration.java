package dev.llmserve.gateway.model;

import dev.llmserve.engine.config.GenerationConfig;
import dev.llmserve.engine.config.ModelConfig;
import dev.llmserve.engine.tokenizer.ChatTemplate;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Loads what the gateway needs of the model folder: tokenizer, chat template and limits, no weights. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

    @Bean(destroyMethod = "close")
    TextTokenizer textTokenizer(ServedModelProperties properties) {
        return TextTokenizer.load(properties.path());
    }

    @Bean
    ChatTemplate chatTemplate(ServedModelProperties properties) {
        return ChatTemplate.forModel(properties.path());
    }

    @Bean
    ServedModel servedModel(ServedModelProperties properties, TextTokenizer tokenizer) {
        ModelConfig config = ModelConfig.load(properties.path());
        return new ServedModel(properties.servedName(), config.maxPositions(), tokenizer.vocabSize(),
                Instant.now().getEpochSecond(), SamplingDefaults.from(GenerationConfig.load(properties.path())));
    }
}
