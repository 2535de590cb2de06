package io.certform.simulator;

import java.time.Duration;
import java.util.Random;

/**
 * Misbehaviour on demand, drawn from a seeded generator so that a run can be reproduced.
 *
 * <p>Every faulted call draws one fate at most. Reads (the group detail, show a certificate, and the management
 * model's show, list and attached-domains) can be delayed, answered 500/503 or 429, or stalled. Writes (add or
 * delete the certificate of a domain; create, update, delete, attach and detach a managed certificate) can also be
 * <em>dropped</em> (committed, then closed without an answer), <em>slow</em> (held for {@code slowTime}, committed
 * at its end, then answered: a client with a shorter timeout gave up before the write landed) or <em>late</em>
 * (closed at once without an answer, committed {@code lateTime} later in the background). A draw that falls on a
 * write-only fate for a read leaves the read unharmed, so one seed gives one sequence whatever the mix of calls.
 *
 * <p>{@code readLag} is not drawn: when set, reads show a domain's certificate only {@code readLag} after the
 * write that put it there committed (measured on the simulator's clock).
 *
 * @param latencyMin   least added delay per faulted call
 * @param latencyMax   most added delay (equal to {@code latencyMin} for a fixed delay)
 * @param errorRate    share of calls answered 500 APIG.9999 or 503, without effect
 * @param throttleRate share answered 429 APIGW.0308 with {@code Retry-After}, without effect
 * @param dropRate     share of writes carried out, then answered by closing the connection
 * @param stallRate    share left unanswered for {@code stallTime}, then closed, without effect
 * @param stallTime    how long a stalled call hangs
 * @param retryAfter   the {@code Retry-After} of a throttled answer
 * @param slowRate     share of writes held for {@code slowTime}, committed at its end, then answered
 * @param slowTime     how long a slow write is held
 * @param lateRate     share of writes closed at once without an answer and committed {@code lateTime} later
 * @param lateTime     how long after its lost answer a late write lands
 * @param readLag      how long after a write commits reads start to show it (zero: at once)
 */
public record Faults(Duration latencyMin, Duration latencyMax, double errorRate, double throttleRate, double dropRate,
                     double stallRate, Duration stallTime, Duration retryAfter, double slowRate, Duration slowTime,
                     double lateRate, Duration lateTime, Duration readLag) {

    /** What happens to one call. */
    public enum Kind {
        NONE, ERROR, THROTTLE, DROP, STALL, SLOW, LATE;

        /** True for the fates only a write can meet. */
        boolean writeOnly() {
            return this == DROP || this == SLOW || this == LATE;
        }
    }

    public Faults {
        for (double rate : new double[] {errorRate, throttleRate, dropRate, stallRate, slowRate, lateRate}) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("fault rates are between 0 and 1, not " + rate);
            }
        }
        if (errorRate + throttleRate + dropRate + stallRate + slowRate + lateRate > 1.0000001) {
            throw new IllegalArgumentException("the fault rates add up to more than 1");
        }
        if (latencyMax.compareTo(latencyMin) < 0) {
            throw new IllegalArgumentException("latency range ends before it starts");
        }
        for (Duration d : new Duration[] {latencyMin, stallTime, retryAfter, slowTime, lateTime, readLag}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("fault durations cannot be negative, not " + d);
            }
        }
    }

    public static Faults none() {
        return new Faults(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, Duration.ofSeconds(90), Duration.ofSeconds(1),
                0, Duration.ofSeconds(90), 0, Duration.ofSeconds(2), Duration.ZERO);
    }

    /** True when some call may be delayed or faulted (the read lag is not a per-call fault). */
    public boolean any() {
        return !latencyMax.isZero() || errorRate + throttleRate + dropRate + stallRate + slowRate + lateRate > 0;
    }

    public Faults withLatency(Duration min, Duration max) {
        return new Faults(min, max, errorRate, throttleRate, dropRate, stallRate, stallTime, retryAfter,
                slowRate, slowTime, lateRate, lateTime, readLag);
    }

    /** Sets the rates of the faults any call can meet, and of drops; slow and late writes keep theirs. */
    public Faults withRates(double error, double throttle, double drop, double stall) {
        return new Faults(latencyMin, latencyMax, error, throttle, drop, stall, stallTime, retryAfter,
                slowRate, slowTime, lateRate, lateTime, readLag);
    }

    public Faults withStallTime(Duration value) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, value, retryAfter,
                slowRate, slowTime, lateRate, lateTime, readLag);
    }

    public Faults withRetryAfter(Duration value) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, stallTime, value,
                slowRate, slowTime, lateRate, lateTime, readLag);
    }

    /** A share {@code rate} of writes is held for {@code time}, committed at its end, then answered. */
    public Faults withSlowWrites(double rate, Duration time) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, stallTime, retryAfter,
                rate, time, lateRate, lateTime, readLag);
    }

    /** A share {@code rate} of writes loses its answer at once and is committed {@code time} later. */
    public Faults withLateWrites(double rate, Duration time) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, stallTime, retryAfter,
                slowRate, slowTime, rate, time, readLag);
    }

    /** Reads show a write only {@code lag} after it committed. */
    public Faults withReadLag(Duration lag) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, stallTime, retryAfter,
                slowRate, slowTime, lateRate, lateTime, lag);
    }

    /**
     * Draws the fate of one call; {@code random} is the simulator's seeded generator. A read that draws a
     * write-only fate is left unharmed.
     */
    Kind draw(Random random, boolean write) {
        Kind kind = draw(random.nextDouble());
        return !write && kind.writeOnly() ? Kind.NONE : kind;
    }

    private Kind draw(double x) {
        double[] rates = {errorRate, throttleRate, dropRate, stallRate, slowRate, lateRate};
        Kind[] kinds = {Kind.ERROR, Kind.THROTTLE, Kind.DROP, Kind.STALL, Kind.SLOW, Kind.LATE};
        for (int i = 0; i < rates.length; i++) {
            if ((x -= rates[i]) < 0) {
                return kinds[i];
            }
        }
        return Kind.NONE;
    }

    /** The added delay of one call. */
    Duration latency(Random random) {
        long min = latencyMin.toNanos();
        long span = latencyMax.toNanos() - min;
        return Duration.ofNanos(span == 0 ? min : min + (long) (random.nextDouble() * span));
    }
}
