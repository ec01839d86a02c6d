package dev.llmserve.gateway.request;

import dev.llmserve.gateway.GatewayProperties;
import dev.llmserve.gateway.error.OpenAiException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads a request body as bytes, whatever its Content-Type ({@code curl -d} sends a form type, which
 * Spring's codecs refuse) and up to {@code llmserve.gateway.max-body-size} rather than the codecs'
 * 256 KB, which a long prompt can exceed.
 */
@Component
public class RequestBodyReader {

    private final int maxBytes;

    RequestBodyReader(GatewayProperties properties) {
        this.maxBytes = (int) Math.min(Integer.MAX_VALUE, properties.maxBodySize().toBytes());
    }

    /** The body; empty when there is none. */
    public Mono<byte[]> read(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(RequestBodyReader::copy)
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> OpenAiException.invalidRequest(null,
                        "The request body is larger than " + maxBytes + " bytes"));
    }

    private static byte[] copy(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
