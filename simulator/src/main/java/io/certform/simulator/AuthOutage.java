package io.certform.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authentication failing for a while, as when a key is disabled, rotated or not yet propagated: while an outage is
 * on, every call that authenticates (the gateway's, the certificate-management model's, Huawei Cloud DNS's) is
 * answered 401 as the real service answers refused credentials, whatever it carries, and is not carried out. An
 * outage lasts for the next N such calls, for a window on the simulator's clock, or until restored; a new one
 * replaces the one in force. It draws nothing from the fault generator, so the faults after it are those of a run
 * without it. Thread-safe.
 */
final class AuthOutage {

    private final Clock clock;
    private final AtomicLong callsLeft = new AtomicLong();
    private volatile Instant until;
    private volatile boolean untilRestored;

    AuthOutage(Clock clock) {
        this.clock = clock;
    }

    /** The next {@code calls} calls that authenticate are refused (0: none). */
    synchronized void calls(long calls) {
        if (calls < 0) {
            throw new IllegalArgumentException("a number of calls cannot be negative, not " + calls);
        }
        restore();
        callsLeft.set(calls);
    }

    /** Every call that authenticates in the next {@code window}, on the simulator's clock, is refused. */
    synchronized void window(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("an outage cannot last a negative time, not " + window);
        }
        restore();
        until = clock.instant().plus(window);
    }

    /** Every call that authenticates is refused until {@link #restore()}. */
    synchronized void untilRestored() {
        restore();
        untilRestored = true;
    }

    /** Ends the outage in force, if any. */
    synchronized void restore() {
        callsLeft.set(0);
        until = null;
        untilRestored = false;
    }

    /** Whether this call is refused; a refusal counted by calls is used up. */
    boolean refuse() {
        if (untilRestored) {
            return true;
        }
        Instant end = until;
        if (end != null && clock.instant().isBefore(end)) {
            return true;
        }
        return callsLeft.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    /** The answer to a refused call: what the service says to the credentials it carries. */
    static ApiError answer(String authorization, String token) {
        if (authorization != null && authorization.startsWith("SDK-HMAC-SHA256")) {
            return new ApiError(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature"
                    + " fail");
        }
        return token == null || token.isBlank() ? ApiError.tokenMissing() : ApiError.tokenInvalid();
    }

    /** {@code {active, calls_left, until, until_restored}}, as the admin endpoints show it. */
    synchronized void write(ObjectNode out) {
        Instant end = until;
        boolean windowOn = end != null && clock.instant().isBefore(end);
        out.put("active", untilRestored || windowOn || callsLeft.get() > 0);
        out.put("calls_left", callsLeft.get());
        if (end != null) {
            out.put("until", GatewayApi.format(end));
        } else {
            out.putNull("until");
        }
        out.put("until_restored", untilRestored);
    }
}
