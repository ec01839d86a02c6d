package dev.llmserve.batching;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Continuous-batching scheduler and KV block manager. */
@SpringBootApplication
public class BatchingApplication {

    public static void main(String[] args) {
        // the engine's tokenizer is DJL's: it must never try to download anything or phone home
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        SpringApplication.run(BatchingApplication.class, args);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
