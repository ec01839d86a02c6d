package dev.llmserve.draft;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Serves the draft model's proposals on the engine: gRPC {@code ModelShard} (Info, Propose) plus actuator over HTTP. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DraftApplication {

    public static void main(String[] args) {
        // DJL must never download anything or phone home; set here so a bare `java -jar` is enough.
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", System.getProperty("OPT_OUT_TRACKING", "true"));
        SpringApplication.run(DraftApplication.class, args);
    }
}
