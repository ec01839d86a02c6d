package dev.llmserve.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** OpenAI-compatible HTTP/SSE front door; holds the model's tokenizer, never its weights. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        // DJL (the tokenizer's native library) must neither download nor phone home; `java -jar` users
        // should not have to know that, so default the flags unless the command line set them.
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        SpringApplication.run(GatewayApplication.class, args);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
