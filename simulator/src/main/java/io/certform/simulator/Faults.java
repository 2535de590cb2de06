package io.certform.simulator;

import java.time.Duration;
import java.util.Random;

/**
 * Misbehaviour on demand, drawn from a seeded generator so that a run can be reproduced: latency, server
 * errors, throttling, dropped responses (the change is committed, then the connection is closed before the
 * answer) and stalls (no answer for longer than a client waits).
 *
 * @param latencyMin   least added delay per certificate call
 * @param latencyMax   most added delay (equal to {@code latencyMin} for a fixed delay)
 * @param errorRate    share of calls answered 500 APIG.9999 or 503, without effect
 * @param throttleRate share answered 429 APIGW.0308 with {@code Retry-After}, without effect
 * @param dropRate     share carried out, then answered by closing the connection
 * @param stallRate    share left unanswered for {@code stallTime}, then closed, without effect
 * @param retryAfter   the {@code Retry-After} of a throttled answer
 */
public record Faults(Duration latencyMin, Duration latencyMax, double errorRate, double throttleRate, double dropRate,
                     double stallRate, Duration stallTime, Duration retryAfter) {

    /** What happens to one call. */
    public enum Kind { NONE, ERROR, THROTTLE, DROP, STALL }


    public Faults {
        for (double rate : new double[] {errorRate, throttleRate, dropRate, stallRate}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("fault rates are between 0 and 1, not " + rate);
            }
        }
        if (errorRate + throttleRate + dropRate + stallRate > 1.0000001) {
            throw new IllegalArgumentException("the fault rates add up to more than 1");
        }
        if (latencyMax.compareTo(latencyMin) < 0) {
            throw new IllegalArgumentException("latency range ends before it starts");
        }
    }

    public static Faults none() {
        return new Faults(Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, Duration.ofSeconds(90), Duration.ofSeconds(1));
    }

    public boolean any() {
        return !latencyMax.isZero() || errorRate + throttleRate + dropRate + stallRate > 0;
    }

    public Faults withLatency(Duration min, Duration max) {
        return new Faults(min, max, errorRate, throttleRate, dropRate, stallRate, stallTime, retryAfter);
    }

    public Faults withRates(double error, double throttle, double drop, double stall) {
        return new Faults(latencyMin, latencyMax, error, throttle, drop, stall, stallTime, retryAfter);
    }

    public Faults withStallTime(Duration value) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, value, retryAfter);
    }

    public Faults withRetryAfter(Duration value) {
        return new Faults(latencyMin, latencyMax, errorRate, throttleRate, dropRate, stallRate, stallTime, value);
    }

    /** Draws the fate of one call; {@code random} is the simulator's seeded generator. */
    Kind draw(Random random) {
        double x = random.nextDouble();
        if ((x -= errorRate) < 0) {
            return Kind.ERROR;
        }
        if ((x -= throttleRate) < 0) {
            return Kind.THROTTLE;
        }
        if ((x -= dropRate) < 0) {
            return Kind.DROP;
        }
        if ((x -= stallRate) < 0) {
            return Kind.STALL;
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
