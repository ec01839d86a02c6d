package dev.llmserve.shard;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one RPC's work and answers it: the result, INVALID_ARGUMENT for an {@link IllegalArgumentException}
 * (counted through {@code onRejected}), INTERNAL (logged) for any other failure.
 */
public final class ShardReplies {

    private static final Logger log = LoggerFactory.getLogger(ShardReplies.class);

    private final String shardName;
    private final Runnable onRejected;

    /**
     * @param shardName how failures are logged ("model shard", "draft shard")
     * @param onRejected called once per call answered INVALID_ARGUMENT
     */
    public ShardReplies(String shardName, Runnable onRejected) {
        this.shardName = shardName;
        this.onRejected = onRejected;
    }

    public <T> void reply(StreamObserver<T> out, Supplier<T> call) {
        T response;
        try {
            response = call.get();
        } catch (IllegalArgumentException e) {
            onRejected.run();
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.error("{} call failed", shardName, e);
            out.onError(Status.INTERNAL.withDescription(String.valueOf(e.getMessage())).withCause(e)
                    .asRuntimeException());
            return;
        }
        out.onNext(response);
        out.onCompleted();
    }
}
