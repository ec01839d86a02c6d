package dev.llmserve.batching.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request ids this instance has recently accepted, so that a redelivered request is not run
 * twice, and the ids cancelled before their request arrived (requests and cancels travel on
 * different topics, so a cancel can overtake its request). Bounded: the oldest ids are forgotten.
 */
final class SeenRequests {

    enum Sighting { NEW, DUPLICATE, CANCELLED_BEFORE_ARRIVAL }

    private final Map<String, Boolean> cancelledEarly;

    SeenRequests(int capacity) {
        this.cancelledEarly = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records a request's arrival and says whether it is new. */
    Sighting arrived(String requestId) {
        Boolean early = cancelledEarly.put(requestId, Boolean.FALSE);
        if (early == null) {
            return Sighting.NEW;
        }
        return early ? Sighting.CANCELLED_BEFORE_ARRIVAL : Sighting.DUPLICATE;
    }

    /** Records a cancel for a request this instance has not seen (it may never: it may be another's). */
    void cancelledUnknown(String requestId) {
        cancelledEarly.putIfAbsent(requestId, Boolean.TRUE);
    }
}
