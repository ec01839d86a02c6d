package dev.llmserve.tools.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The model tools behind {@code ./llmserve}: train-tokenizer. */
public final class ModelToolsCli {

    private static final String USAGE = """
            usage:
              llmserve train-tokenizer --out DIR [--corpus europarl-en|brown] [--vocab-size 4096] [--seed 0]
                                [--corpus-cache .llmserve/corpus]
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
                default -> {
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        }
    }
}
