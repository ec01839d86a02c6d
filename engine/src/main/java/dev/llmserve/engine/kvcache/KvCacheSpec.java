package dev.llmserve.engine.kvcache;

import dev.llmserve.engine.config.ModelConfig;

/**
 * The size of a paged KV cache: {@code numBlocks} blocks of {@code blockSize} token slots each.
 * The block manager that hands out blocks sizes itself from this.
 */
public record KvCacheSpec(int blockSize, int numBlocks) {

    public static final int DEFAULT_BLOCK_SIZE = 16;

    public KvCacheSpec {
        if (blockSize <= 0 || numBlocks <= 0) {
            throw new IllegalArgumentException("block size and block count must be positive");
        }
    }

    public int numSlots() {
        return blockSize * numBlocks;
    }

    /** Bytes one token occupies across all layers, K and V, in F32. */
    public static long bytesPerToken(ModelConfig config) {
        return 2L * config.numLayers() * config.numKvHeads() * config.headDim() * Float.BYTES;
    }

    /** As many blocks as fit in {@code bytes}. */
    public static KvCacheSpec fromMemory(ModelConfig config, long bytes, int blockSize) {
        long blocks = bytes / (bytesPerToken(config) * blockSize);
        if (blocks < 1) {
            throw new IllegalArgumentException("a KV cache budget of " + bytes
                    + " bytes holds no block of " + blockSize + " tokens for this model");
        }
        // one layer's K tensor must stay under 2^31 elements
        long perLayerElements = (long) config.numKvHeads() * config.headDim() * blockSize;
        blocks = Math.min(blocks, Integer.MAX_VALUE / perLayerElements);
        return new KvCacheSpec(blockSize, (int) blocks);
    }

    /** Parses "512m", "2g", "1048576" or a fraction of free memory such as "0.2". */
    public static long parseMemory(String text, long freeBytes) {
        String s = text.trim().toLowerCase();
        if (s.contains(".") && !s.endsWith("m") && !s.endsWith("g") && !s.endsWith("k")) {
            double fraction = Double.parseDouble(s);
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a KV cache memory fraction must be in (0, 1], got " + text);
            }
            return (long) (fraction * freeBytes);
        }
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        return (long) (Double.parseDouble(digits) * unit);
    }
}
