package dev.llmserve.engine.model;

import java.util.Locale;

/**
 * The per-step integers {@code llama_step.torchscript} receives as its {@code sizes} list, by name: each
 * entry's position is passed to the script as an attribute ({@code size_<name>}). The {@code *_AT}
 * entries are where each part of the int64 {@code index} tensor starts, so the order of those parts is
 * chosen by {@link TorchScriptForward} alone (-1: the part is absent from this step).
 */
enum StepSizes {
    /** T: new tokens in the step. */
    TOKENS,
    /** B: sequences. */
    BATCH,
    /** Q: the longest query. */
    MAX_QUERY,
    /** C: the longest context. */
    MAX_CONTEXT,
    /** Rows that get logits. */
    LOGIT_ROWS,
    /** 1 where queries are padded to [B, Q]. */
    PADDED,
    /** 1 where a causal mask is needed. */
    MASKED,
    /** NB: blocks read per sequence (block reads). */
    BLOCKS,
    BLOCK_SIZE,
    /** 1: read the cache by whole blocks; 0: gather head-first rows. */
    BLOCK_READS,
    /** Token ids [T]. */
    TOKENS_AT,
    /** Positions [T]. */
    POSITIONS_AT,
    /** Cache slots written [T]. */
    WRITE_SLOTS_AT,
    /** Cache slots read [B·C] (head-first reads). */
    READ_SLOTS_AT,
    /** Block ids read [B·NB] (block reads). */
    READ_BLOCKS_AT,
    /** Padded rows [B·Q] and unpadded rows [T] (padded steps). */
    PADDED_ROWS_AT,
    UNPADDED_ROWS_AT,
    /** Query positions [B·Q]. */
    QUERY_POSITIONS_AT,
    /** Logit rows (when fewer than T). */
    LOGIT_ROWS_AT;

    String attribute() {
        return "size_" + name().toLowerCase(Locale.ROOT);
    }
}
