package dev.llmserve.tools.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Texts that exercise a byte-level tokenizer: every script, whitespace shape and code point range. */
final class TestTexts {

    private TestTexts() {}

    static List<String> varied() {
        return List.of(
                "",
                "The Commission has not yet replied to the honourable Member's question.",
                "We'll see, they've said it's done; I'd say we're not there. Don't!",
                "Résumé, naïve café, Ærøskøbing, Łódź, São Paulo, Dvořák, İstanbul, Straße",
                "日本語のテキストと中文文本，한국어 텍스트도 있습니다。",
                "Emoji: 🎉🚀 family 👨‍👩‍👧‍👦 flag 🇪🇺 thumbs 👍🏽 heart ❤️",
                "Combining marks: e\u0301 a\u0308 n\u0303 Z\u0351\u0300\u0358a\u036B\u0346lgo",
                "   leading spaces, inner     runs,\ttabs\t\tand trailing   ",
                "\n\nnewlines\n\n\nbetween\r\nWindows lines\n",
                " \t \n \u00A0 \u2003 \u3000 mixed whitespace",
                "Numbers 1 500 000, 3.14159, 2024-01-19, €1,250.50 and 42%",
                "Code: if (x != y) { return a[i] * 2; } // <tag attr=\"v\">&amp;</tag>",
                "A literal <|endoftext|> inside text, and <|endoftext|><|endoftext|> twice",
                "Ελληνικά, Русский текст, עברית, العربية, हिन्दी",
                "\u0000\u0001\u001F\u007F control characters \uFFFD replacement \uFEFF bom",
                "x".repeat(300) + " " + "ab".repeat(200));
    }

    /** Random strings of code points from ASCII to the supplementary planes (no lone surrogates). */
    static List<String> random(int count, long seed) {
        Random random = new Random(seed);
        int[][] ranges = {
            {0x20, 0x7E}, {0x09, 0x0D}, {0x80, 0x24F}, {0x300, 0x36F}, {0x4E00, 0x9FFF},
            {0x1F300, 0x1FAFF}, {0x200D, 0x200D}, {0x0, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}};
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                int[] range = ranges[random.nextInt(ranges.length)];
                text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
