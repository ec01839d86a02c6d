package dev.llmserve.tools.tokenizer;

/**
 * GPT-2's map from bytes to printable characters, the alphabet of byte-level BPE: printable Latin-1
 * bytes stand for themselves and the rest (controls, space, …) take the characters from U+0100 on in
 * byte order, so a space is {@code Ġ} and a newline {@code Ċ}. HF's ByteLevel pre-tokenizer and
 * decoder use exactly this map, so vocabulary pieces written with it read back as the same bytes.
 */
final class ByteLevelAlphabet {

    private static final char[] CHAR_OF_BYTE = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            CHAR_OF_BYTE[b] = printable(b) ? (char) b : (char) next++;
        }
    }

    private ByteLevelAlphabet() {}

    static char charOf(int unsignedByte) {
        return CHAR_OF_BYTE[unsignedByte];
    }

    private static boolean printable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }
}
