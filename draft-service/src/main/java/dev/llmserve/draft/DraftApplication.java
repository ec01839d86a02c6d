package dev.llmserve.draft;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Serves the draft model's proposals on the engine. */
@SpringBootApplication
public class DraftApplication {

    public static void main(String[] args) {
        SpringApplication.run(DraftApplication.class, args);
    }
}
