package dev.llmserve.protocol.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PriorityTest {

    @Test
    void unknownPrioritiesAreInteractive() {
        assertEquals(Priority.BATCH, Priority.of("batch"));
        assertEquals(Priority.INTERACTIVE, Priority.of("interactive"));
        assertEquals(Priority.INTERACTIVE, Priority.of(null));
        assertEquals(Priority.INTERACTIVE, Priority.of("urgent"));
    }
}
