package dev.llmserve.tools.tokenizer;

/** One learned BPE merge: two adjacent vocabulary pieces that become their concatenation. */
public record Merge(String left, String right) {

    public String merged() {
        return left + right;
    }
}
