package dev.llmserve.batching.core;

import dev.llmserve.protocol.kafka.Priority;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sequences waiting for admission, one first-come-first-served queue per {@link Priority}: every
 * interactive sequence stands before every batch one. A preempted sequence goes back to the head
 * of its own class's queue, so it is the first of its class to be readmitted.
 */
final class WaitingQueue {

    private final Map<Priority, ArrayDeque<Sequence>> queues = new EnumMap<>(Priority.class);

    WaitingQueue() {
        for (Priority priority : Priority.values()) {
            queues.put(priority, new ArrayDeque<>());
        }
    }

    /** A new sequence: the tail of its class. */
    void add(Sequence seq) {
        queues.get(seq.priority()).addLast(seq);
    }

    /** A preempted sequence: the head of its class. */
    void requeue(Sequence seq) {
        queues.get(seq.priority()).addFirst(seq);
    }

    /** The next of this class to admit; null when none waits. */
    Sequence peek(Priority priority) {
        return queues.get(priority).peekFirst();
    }

    Sequence poll(Priority priority) {
        return queues.get(priority).removeFirst();
    }

    void remove(Sequence seq) {
        queues.get(seq.priority()).remove(seq);
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        return queues.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    int size(Priority priority) {
        return queues.get(priority).size();
    }
}
