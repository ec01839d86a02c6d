package dev.llmserve.draft.grpc;

import dev.llmserve.shard.GrpcServerSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gRPC side of the service ({@code llmserve.draft.*}).
 *
 * @param grpcPort the port {@code ModelShard} listens on; 0 picks a free one
 * @param maxMessageSize the largest request the server accepts (long prompts with many block ids)
 */
@ConfigurationProperties("llmserve.draft")
public record DraftProperties(
        @DefaultValue("9083") int grpcPort, @DefaultValue("256MB") DataSize maxMessageSize) {

    public DraftProperties {
        if (maxMessageSize.toBytes() <= 0 || maxMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("llmserve.draft.max-message-size must be between 1B and 2GB");
        }
    }

    /** These settings for model-shard's {@code GrpcServerLifecycle}. */
    public GrpcServerSettings serverSettings() {
        return new GrpcServerSettings("draft ModelShard", grpcPort, maxMessageSize);
    }
}
