package dev.llmserve.shard;

import org.springframework.util.unit.DataSize;

/**
 * What differs between the services' gRPC servers.
 *
 * @param label how the server is named in the log ("ModelShard", "draft ModelShard")
 * @param port the port to listen on; 0 picks a free one
 * @param maxMessageSize the largest request the server accepts
 */
public record GrpcServerSettings(String label, int port, DataSize maxMessageSize) {
}
