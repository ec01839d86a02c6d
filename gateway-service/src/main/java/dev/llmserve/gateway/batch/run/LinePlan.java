package dev.llmserve.gateway.batch.run;

/** One request line of a batch's input file, as read before it runs. */
sealed interface LinePlan {

    /** The line's number in the file (1-based, blank lines counted). */
    int number();

    /** Null when the line has none that can be read. */
    String customId();

    /** A well-formed line: its body goes to the endpoint as an API request would. */
    record Request(int number, String customId, byte[] body) implements LinePlan {}

    /** A line that cannot be run at all (not JSON, no custom_id, wrong url …): it goes to the error file. */
    record Invalid(int number, String customId, String code, String message) implements LinePlan {}
}
