package dev.llmserve.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to the gateway under test. */
public final class Api {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** A finished response; the body is kept raw so that SSE framing can be checked. */
    public record Response(int status, HttpHeaders headers, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** The {@code data:} payloads of an SSE body, in order. */
        public List<String> events() {
            List<String> events = new ArrayList<>();
            for (String block : body.split("\n\n")) {
                if (block.isBlank()) {
                    continue;
                }
                if (!block.startsWith("data:")) {
                    throw new AssertionError("not an SSE data event: " + block);
                }
                events.add(block.substring("data:".length()).strip());
            }
            return events;
        }
    }

    private final WebClient client;

    public Api(int port) {
        this.client = WebClient.create("http://127.0.0.1:" + port);
    }

    public CompletableFuture<Response> post(String path, String body) {
        return post(path, body, MediaType.ALL);
    }

    public CompletableFuture<Response> post(String path, String body, MediaType accept) {
        return post(path, body, MediaType.APPLICATION_JSON, accept);
    }

    public CompletableFuture<Response> post(String path, String body, MediaType contentType, MediaType accept) {
        return client.post().uri(path)
                .contentType(contentType)
                .accept(accept)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Response(response.statusCode().value(), response.headers().asHttpHeaders(),
                                new String(bytes, StandardCharsets.UTF_8))))
                .toFuture();
    }

    public Response get(String path) {
        return client.get().uri(path)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Response(response.statusCode().value(), response.headers().asHttpHeaders(),
                                new String(bytes, StandardCharsets.UTF_8))))
                .block();
    }

    /**
     * POST /v1/files as the OpenAI clients send it: a multipart form with {@code purpose} and
     * {@code file} (either left out when null), written out by hand so the test controls every byte.
     */
    public Response upload(String filename, byte[] content, String purpose) {
        String boundary = "llmserve-test-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (purpose != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                    + purpose + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (content != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return client.post().uri("/v1/files")
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .bodyValue(body.toByteArray())
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(bytes -> new Response(response.statusCode().value(), response.headers().asHttpHeaders(),
                                new String(bytes, StandardCharsets.UTF_8))))
                .block(Duration.ofMinutes(1));
    }

    /** The SSE data payloads as they arrive; cancelling the subscription closes the connection. */
    public Flux<String> stream(String path, String body) {
        return client.post().uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .retrieve()
                .bodyToFlux(String.class);
    }
}
