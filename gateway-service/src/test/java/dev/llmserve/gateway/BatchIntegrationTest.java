package dev.llmserve.gateway;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * A {@link GatewayIntegrationTest} with batch settings small enough to see their effect: 1 KB file
 * chunks, a window of two lines, a 3 s no-progress timeout, two attempts and short pauses. Test
 * classes with this annotation share one gateway and broker.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@GatewayIntegrationTest
@TestPropertySource(properties = {
        "llmserve.gateway.batch.chunk-size=1KB",
        "llmserve.gateway.batch.window=2",
        "llmserve.gateway.batch.line-timeout=3s",
        "llmserve.gateway.batch.max-attempts=2",
        "llmserve.gateway.batch.retry-backoff=100ms",
        "llmserve.gateway.batch.max-file-size=64KB"})
public @interface BatchIntegrationTest {}
