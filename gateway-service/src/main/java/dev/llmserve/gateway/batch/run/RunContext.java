package dev.llmserve.gateway.batch.run;

import dev.llmserve.gateway.batch.BatchProperties;
import dev.llmserve.gateway.batch.store.BatchStore;
import dev.llmserve.gateway.batch.store.FileContents;
import dev.llmserve.gateway.batch.store.StoreWriter;
import reactor.core.scheduler.Scheduler;

/**
 * What every {@link BatchRun} works with: the store, the line machinery, and the driver's thread
 * (as a scheduler) on which all of a run's state changes happen.
 *
 * @param wake asks the driver for a tick soon (a line finished: its slot can take the next one)
 */
record RunContext(
        BatchProperties properties,
        BatchStore store,
        StoreWriter writer,
        FileContents contents,
        InputLines inputs,
        LineExecutor executor,
        OutputLines outputs,
        BatchFinalizer finalizer,
        BatchMetrics metrics,
        Scheduler driver,
        Runnable wake) {}
