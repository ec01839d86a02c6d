package dev.llmserve.benchserve;

import java.io.PrintStream;

/** A one-line progress bar on stderr: done/total, elapsed time and an ETA. */
final class RequestProgress {

    private static final int WIDTH = 30;

    private final int total;
    private final PrintStream out;
    private final long start = System.nanoTime();

    RequestProgress(int total, PrintStream out) {
        this.total = total;
        this.out = out;
    }

    synchronized void update(int done) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        int filled = (int) ((long) WIDTH * done / total);
        out.printf("\r[%s%s] %d/%d requests, %.1fs elapsed, ETA %.1fs ", "#".repeat(filled),
                " ".repeat(WIDTH - filled), done, total, elapsed, eta);
        out.flush();
    }

    synchronized void finish() {
        out.println();
    }
}
