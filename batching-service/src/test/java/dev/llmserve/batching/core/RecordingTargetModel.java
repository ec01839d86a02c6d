package dev.llmserve.batching.core;

import dev.llmserve.engine.step.SequenceResult;
import dev.llmserve.engine.step.SequenceStep;
import java.util.ArrayList;
import java.util.List;

/** Runs steps on a real executor and keeps what each step asked and answered, for tests to inspect. */
final class RecordingTargetModel implements TargetModel {

    private final TargetModel executor;
    private final List<List<SequenceStep>> steps = new ArrayList<>();
    private final List<List<SequenceResult>> results = new ArrayList<>();

    RecordingTargetModel(TargetModel executor) {
        this.executor = executor;
    }

    @Override
    public ShardInfo info() {
        return executor.info();
    }

    @Override
    public List<SequenceResult> step(List<SequenceStep> batch) {
        List<SequenceResult> answer = executor.step(batch);
        steps.add(List.copyOf(batch));
        results.add(List.copyOf(answer));
        return answer;
    }

    List<List<SequenceStep>> steps() {
        return steps;
    }

    /** Tokens the shard returned: one per sampled decode, the accepted run of each verification. */
    int tokensReturned() {
        return results.stream().flatMap(List::stream)
                .mapToInt(r -> r.acceptedTokens() != null ? r.acceptedTokens().length : r.sampled() != null ? 1 : 0)
                .sum();
    }
}
