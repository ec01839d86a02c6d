package dev.llmserve.gateway;

import dev.llmserve.protocol.kafka.Topics;
import java.time.Duration;
import java.util.UUID;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of one gateway instance ({@code llmserve.gateway.*}).
 *
 * @param instanceId names this instance's reply topic and consumer group; a random one when unset
 * @param maxPendingRequests requests this instance may have in flight (published, not yet finished)
 *     before it answers 429: the gateway's own view of the waiting queue
 * @param requestTimeout how long a request may run before the gateway cancels it and answers an error
 * @param retryAfter the {@code Retry-After} a 429 suggests
 * @param maxBodySize the largest request body accepted
 */
@ConfigurationProperties("llmserve.gateway")
public record GatewayProperties(
        String instanceId,
        @DefaultValue("256") int maxPendingRequests,
        @DefaultValue("10m") Duration requestTimeout,
        @DefaultValue("1s") Duration retryAfter,
        @DefaultValue("16MB") DataSize maxBodySize) {

    public GatewayProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = "gateway-" + UUID.randomUUID().toString().substring(0, 8);
        }
        Topics.tokensFor(instanceId); // fails early on a name Kafka would refuse
        if (maxPendingRequests < 1) {
            throw new IllegalArgumentException("llmserve.gateway.max-pending-requests must be >= 1, got "
                    + maxPendingRequests);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("llmserve.gateway.request-timeout must be positive, got " + requestTimeout);
        }
    }
}
