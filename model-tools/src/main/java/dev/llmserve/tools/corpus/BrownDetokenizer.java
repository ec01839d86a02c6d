package dev.llmserve.tools.corpus;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one Brown corpus file ({@code word/tag} tokens, a sentence per line, paragraphs separated by
 * blank lines) back into readable text: tags dropped, punctuation joined to its word, {@code ``} and
 * {@code ''} made into quotation marks, one paragraph per line, a headline ({@code -hl} tags) on a
 * line of its own. Two quirks of the tagged files are
 * undone: {@code ; ? !} come doubled ({@code ;/. ;/.}) and an inch mark is followed by a stray
 * closing quote ({@code 1/4''/nn ''/''}).
 */
final class BrownDetokenizer {

    private static final Pattern BLANK_LINES = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> NO_SPACE_BEFORE = Set.of(".", ",", ":", ";", "?", "!", ")", "]", "''");
    private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "``", "`");
    private static final Set<String> DOUBLED = Set.of(";", "?", "!");
    private static final Map<String, String> QUOTES = Map.of("``", "\"", "''", "\"", "`", "'");
    private static final String INCHES = "''";

    private BrownDetokenizer() {}

    static String text(String tagged) {
        StringBuilder text = new StringBuilder();
        for (String block : BLANK_LINES.split(tagged.replace("\r", ""))) {
            String paragraph = paragraph(block);
            if (!paragraph.isEmpty()) {
                text.append(text.isEmpty() ? "" : "\n").append(paragraph);
            }
        }
        return text.toString();
    }

    private static String paragraph(String block) {
        StringBuilder out = new StringBuilder();
        boolean spaceAllowed = false;
        boolean singleQuoteOpen = false;
        boolean inHeadline = false;
        String previous = "";
        for (String token : WHITESPACE.split(block.strip())) {
            int slash = token.lastIndexOf('/');
            // the tag follows the last slash: words like 1/2 keep theirs
            String word = slash > 0 ? token.substring(0, slash) : token;
            boolean headline = slash > 0 && token.endsWith("-hl");
            if (word.isEmpty()
                    || (DOUBLED.contains(word) && word.equals(previous))
                    || (word.equals(INCHES) && previous.endsWith(INCHES) && previous.length() > INCHES.length())) {
                continue;
            }
            boolean opens;
            boolean closes;
            if (word.equals("'")) {
                // a lone ' is a single quotation mark: the first opens, the next closes
                closes = singleQuoteOpen;
                opens = !closes;
                singleQuoteOpen = opens;
            } else {
                opens = NO_SPACE_AFTER.contains(word);
                closes = NO_SPACE_BEFORE.contains(word);
            }
            if (inHeadline && !headline) {
                out.append('\n');
            } else if (spaceAllowed && !closes) {
                out.append(' ');
            }
            inHeadline = headline;
            out.append(render(word));
            spaceAllowed = !opens;
            previous = word;
        }
        return out.toString();
    }

    private static String render(String word) {
        if (word.length() > INCHES.length() && word.endsWith(INCHES)) {
            return word.substring(0, word.length() - INCHES.length()) + "\"";
        }
        return QUOTES.getOrDefault(word, word);
    }
}
