package dev.llmserve.gateway.batch;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

/**
 * Responses that end their connection ({@code Connection: close}). Reactor Netty 1.3.6 (Spring Boot
 * 4.0.7's) can stop reading a keep-alive connection when the next request arrives before a response
 * completed on another thread has been torn down and that next request is answered at once
 * (reactor-netty #4347, fixed in 1.3.8): a client polling a batch right after cancelling it waited for
 * ever. The Files and Batch endpoints whose answer comes from a Kafka or file-reading thread close the
 * connection instead; the client's next request opens a new one. Remove once the managed Reactor Netty
 * is 1.3.8 or later (as {@code page.PageConnectionClose}).
 */
public final class ClosingResponses {

    private ClosingResponses() {}

    public static ResponseEntity.BodyBuilder ok() {
        return ResponseEntity.ok().header(HttpHeaders.CONNECTION, "close");
    }
}
