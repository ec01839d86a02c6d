package dev.llmserve.engine.cli;

import dev.llmserve.engine.config.UnsupportedModelException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The engine's commands behind {@code ./llmserve}: generate and bench engine. */
public final class LlmServeCli {

    private static final String USAGE = """
            usage:
              llmserve generate --model DIR --prompt TEXT [--max-tokens N] [--temperature T] [--top-k K]
                                [--top-p P] [--min-p P] [--seed S] [--device cpu|gpu|auto]
              llmserve bench engine --model DIR [--batch-sizes 1,8,32,64] [--prompt-len 64] [--gen-len 128]
                                [--repeats 3] [--json FILE] [--device cpu|gpu|auto]
                                [--forward torchscript|ops|ops,torchscript]
                                [--draft DIR|ngram [--gamma 4] [--ngram-min 1] [--ngram-max 3]]
            """;

    private LlmServeCli() {}

    /** Exit status of a command stopped by Ctrl-C; the JVM is already shutting down then. */
    static final int INTERRUPTED = 130;

    public static void main(String[] argv) {
        int status = run(Arrays.asList(argv), System.out, System.err);
        if (status != INTERRUPTED) {
            // after Ctrl-C, System.exit would block behind the running shutdown hooks
            System.exit(status);
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            if (args.size() >= 2 && args.get(0).equals("bench") && args.get(1).equals("engine")) {
                return BenchEngineCommand.run(args.subList(2, args.size()), out);
            }
            if (!args.isEmpty() && args.get(0).equals("generate")) {
                return GenerateCommand.run(args.subList(1, args.size()), out);
            }
            err.print(USAGE);
            return 2;
        } catch (IllegalArgumentException | UnsupportedModelException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }
}
