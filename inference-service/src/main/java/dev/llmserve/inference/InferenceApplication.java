package dev.llmserve.inference;

import dev.llmserve.shard.ModelShardConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Serves the target model's forward steps on the engine: gRPC {@code ModelShard} plus actuator over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
// model-shard's llmserve.model.* and ModelRunner: outside this package, so not scanned
@Import(ModelShardConfiguration.class)
public class InferenceApplication {

    public static void main(String[] args) {
        // DJL must never download anything or phone home; set here so a bare `java -jar` is enough.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
        SpringApplication.run(InferenceApplication.class, args);
    }
}
