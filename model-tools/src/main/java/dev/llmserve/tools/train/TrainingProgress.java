package dev.llmserve.tools.train;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One status line on stderr: step, loss, learning rate, tokens/s and time left. On a terminal it
 * redraws in place; in a log (no console) it prints a line every {@code logEvery} steps instead.
 */
public final class TrainingProgress {

    private static final int WIDTH = 24;

    private final PrintStream out;
    private final int totalSteps;
    private final boolean interactive;
    private final int logEvery;
    private final long started = System.nanoTime();
    private final int firstStep;

    public TrainingProgress(PrintStream out, int firstStep, int totalSteps, boolean interactive, int logEvery) {
        this.out = out;
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.interactive = interactive;
        this.logEvery = logEvery;
    }

    public void update(int step, double loss, double learningRate, long tokensPerStep) {
        int done = step + 1;
        if (!interactive && done % logEvery != 0 && done != totalSteps) {
            return;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int stepsRun = done - firstStep;
        double tokensPerSecond = stepsRun * tokensPerStep / Math.max(seconds, 1e-9);
        long etaSeconds = Math.round(seconds / stepsRun * (totalSteps - done));
        int filled = (int) ((long) WIDTH * done / totalSteps);
        String line = String.format("step %d/%d [%s%s] loss %.4f lr %.2e %,.0f tok/s ETA %s",
                done, totalSteps, "=".repeat(filled), " ".repeat(WIDTH - filled), loss, learningRate,
                tokensPerSecond, clock(Duration.ofSeconds(etaSeconds)));
        if (interactive) {
            out.print("\r" + line);
            out.flush();
        } else {
            out.println(line);
        }
    }

    /** A message on its own line (validation results, checkpoints) without breaking the bar. */
    public void message(String text) {
        out.println((interactive ? "\r\033[K" : "") + text);
    }

    public void finish() {
        if (interactive) {
            out.println();
        }
    }

    private static String clock(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
