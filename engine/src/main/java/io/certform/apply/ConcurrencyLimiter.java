package io.certform.apply;

/**
 * How many calls may be in flight: starts at the requested parallelism, halves on throttling (at most once per
 * round of calls), and grows back by one for every {@code limit} successes (AIMD), so a throttled run eases off
 * instead of hammering the API.
 */
final class ConcurrencyLimiter {
    private final int ceiling;
    private double limit;
    private int inFlight;
    private int lowest;
    private long throttles;
    private long successesSinceDecrease;

    ConcurrencyLimiter(int parallelism) {
        this.ceiling = parallelism;
        this.limit = parallelism;
        this.lowest = parallelism;
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= (int) Math.max(1, Math.floor(limit))) {
            wait();
        }
        inFlight++;
    }

    synchronized void release() {
        inFlight--;
        notifyAll();
    }

    synchronized void succeeded() {
        successesSinceDecrease++;
        if (limit < ceiling) {
            limit = Math.min(ceiling, limit + 1.0 / Math.max(1, limit));
            notifyAll();
        }
    }

    synchronized void throttled() {
        throttles++;
        if (successesSinceDecrease > 0 || limit == ceiling) {
            limit = Math.max(1, limit / 2);
            lowest = Math.min(lowest, (int) Math.floor(limit));
            successesSinceDecrease = 0;
        }
    }

    synchronized long throttles() {
        return throttles;
    }

    synchronized int lowest() {
        return lowest;
    }
}
