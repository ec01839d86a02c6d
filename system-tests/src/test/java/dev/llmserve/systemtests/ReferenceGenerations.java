package dev.llmserve.systemtests;

import dev.llmserve.engine.config.GenerationConfig;
import dev.llmserve.engine.generate.Generator;
import dev.llmserve.engine.output.StopCriteria;
import dev.llmserve.engine.sampling.SamplingParams;
import dev.llmserve.engine.step.ModelRunner;
import dev.llmserve.engine.step.RunnerOptions;
import dev.llmserve.engine.tokenizer.ChatMessage;
import dev.llmserve.engine.tokenizer.ChatTemplate;
import dev.llmserve.engine.tokenizer.TextTokenizer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code ./llmserve generate} prints for a prompt at temperature 0, computed with the same
 * engine classes in this JVM: the chat messages rendered by the model's own chat template, BOS
 * added unless the template renders it, the template's end-of-turn tokens as stops.
 */
final class ReferenceGenerations implements AutoCloseable {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final ModelRunner runner;
    private final Set<Integer> eos;

    ReferenceGenerations(Path modelDir) {
        tokenizer = TextTokenizer.load(modelDir);
        template = ChatTemplate.forModel(modelDir);
        runner = ModelRunner.load(modelDir, new RunnerOptions("cpu", "16m", 16));
        eos = GenerationConfig.load(modelDir).endOfSequenceIds(tokenizer.eosTokenId());
    }

    String chat(String userMessage, int maxTokens) {
        String rendered = template.render(List.of(new ChatMessage("user", userMessage)), true);
        Set<Integer> stops = new HashSet<>();
        template.endOfTurnTokens().forEach(t -> tokenizer.tokenId(t).ifPresent(stops::add));
        int[] ids = tokenizer.encode(rendered, !template.rendersBos());
        return new Generator(runner, tokenizer, eos).generate(ids, SamplingParams.GREEDY, 0L,
                new StopCriteria(maxTokens, stops, List.of(), false), text -> { }, () -> false).text();
    }

    @Override
    public void close() {
        runner.close();
        tokenizer.close();
    }
}
