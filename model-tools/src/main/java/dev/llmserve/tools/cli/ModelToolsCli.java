package dev.llmserve.tools.cli;

import dev.llmserve.tools.distill.DistillCommand;
import dev.llmserve.tools.train.TrainCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The model tools behind {@code ./llmserve}: train-tokenizer, train and distill. */
public final class ModelToolsCli {

    private static final String USAGE = """
            usage:
              llmserve train-tokenizer --out DIR [--corpus europarl-en|brown] [--vocab-size 4096] [--seed 0]
                                [--corpus-cache .llmserve/corpus]
              llmserve train --tokenizer DIR --out DIR [--config FILE] [--corpus europarl-en|brown] [--resume true]
                                [--hidden 256] [--intermediate 768] [--layers 6] [--heads 8] [--kv-heads 4]
                                [--max-positions 512] [--seq-len 256] [--batch-size 16] [--steps 2000] [--lr 1e-3]
                                [--min-lr LR/10] [--warmup STEPS/20] [--weight-decay 0.1] [--clip 1.0]
                                [--label-smoothing 0.1] [--seed 1] [--eval-every N] [--checkpoint-every N]
                                [--save-dtype f16|f32]
              llmserve distill --teacher DIR --out DIR [--temperature 2] [--soft-weight 0.5] [any train option;
                                draft defaults --hidden 128 --intermediate 384 --layers 2 --heads 4 --kv-heads 2]
            """;

    private ModelToolsCli() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String command = args.isEmpty() ? "" : args.get(0);
        List<String> options = args.isEmpty() ? List.of() : args.subList(1, args.size());
        try {
            return switch (command) {
                case "train-tokenizer" -> TrainTokenizerCommand.run(options, out);
                case "train" -> TrainCommand.run(options, out);
                case "distill" -> DistillCommand.run(options, out);
                default -> {
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }
}
