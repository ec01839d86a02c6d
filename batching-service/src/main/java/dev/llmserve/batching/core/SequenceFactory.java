package dev.llmserve.batching.core;

import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.output.StreamingOutput;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.tokenizer.TokenDecoder;
import dev.llmserve.protocol.kafka.GenerationRequest;
import dev.llmserve.protocol.kafka.SamplingSpec;
import dev.llmserve.protocol.kafka.StopSpec;
import java.util.List;
import java.util.Set;

/**
 * Turns a request into a sequence, checking it again against the model: the gateway validated it,
 * but a request that slipped through would fail a whole batch's step. As in the offline
 * {@code Generator}, max tokens is capped at what the context leaves after the prompt.
 */
public final class SequenceFactory {

    private final TokenDecoder decoder;
    private final Set<Integer> eosTokenIds;
    private final ShardInfo shard;

    public SequenceFactory(TokenDecoder decoder, Set<Integer> eosTokenIds, ShardInfo shard) {
        this.decoder = decoder;
        this.eosTokenIds = Set.copyOf(eosTokenIds);
        this.shard = shard;
    }

    public Sequence create(long id, GenerationRequest request, long arrivalNanos) {
        int[] prompt = prompt(request.promptTokens());
        SamplingSpec s = require(request.sampling(), "sampling");
        StopSpec stop = require(request.stop(), "stop");
        int maxTokens = Math.min(stop.maxTokens(), shard.contextLength() - prompt.length);
        int blocks = blocksFor(prompt.length + maxTokens - 1);
        if (blocks > shard.numBlocks()) {
            throw new InvalidRequestException("the prompt and " + maxTokens + " new tokens need " + blocks
                    + " KV blocks; the model's cache has " + shard.numBlocks());
        }
        try {
            SamplingParams params = RequestSpecMapper.samplingParams(s);
            StopCriteria criteria = RequestSpecMapper.stopCriteria(stop, maxTokens);
            StreamingOutput output = new StreamingOutput(decoder, prompt, criteria, eosTokenIds, true);
            return new Sequence(id, request.requestId(), request.replyTopic(), request.priority(), prompt,
                    params, request.seed(), output, maxTokens, arrivalNanos);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    private int[] prompt(List<Integer> tokens) {
        int context = shard.contextLength();
        if (tokens.isEmpty() || tokens.size() >= context) {
            throw new InvalidRequestException("the prompt has " + tokens.size()
                    + " tokens; this model's context of " + context + " takes between 1 and " + (context - 1));
        }
        int[] prompt = new int[tokens.size()];
        for (int i = 0; i < prompt.length; i++) {
            int token = tokens.get(i);
            if (token < 0 || token >= shard.vocabSize()) {
                throw new InvalidRequestException("prompt token " + token + " at " + i
                        + " is outside the vocabulary of " + shard.vocabSize());
            }
            prompt[i] = token;
        }
        return prompt;
    }

    private int blocksFor(int tokens) {
        return (tokens + shard.blockSize() - 1) / shard.blockSize();
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new InvalidRequestException("the request has no " + name + " settings");
        }
        return value;
    }
}
