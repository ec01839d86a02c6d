package dev.llmserve.gateway.batch.store;

/**
 * The outcome of one line of a batch, stored as soon as it is known so that a restart neither
 * loses nor repeats it.
 *
 * @param line the line's index among the batch's requests (0-based)
 * @param ok true: it goes to the output file; false: to the error file
 * @param output the line of the output or error file, as written there
 */
public record LineResult(int v, String batchId, int line, boolean ok, String output) {

    public static final int VERSION = 1;
}
