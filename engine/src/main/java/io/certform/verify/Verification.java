package io.certform.verify;

import java.time.Instant;

/**
 * What probing one domain found, at the last attempt.
 *
 * @param domain       the name probed (sent as SNI)
 * @param outcome      the verdict
 * @param detail       what was seen and what to do about it; never a secret
 * @param servedSerial the served leaf's serial number, lowercase hex; null when nothing was served
 * @param servedSha256 SHA-256 of the served leaf's DER, lowercase hex; null when nothing was served
 * @param at           when the last attempt ended, on the probe's clock
 * @param attempts     how many times the domain was probed (1 when the first attempt settled it)
 */
public record Verification(String domain, Outcome outcome, String detail, String servedSerial, String servedSha256,
                           Instant at, int attempts) {

    /** The verdicts, from good to unreachable. */
    public enum Outcome {
        /** The expected leaf is served and its chain verifies to the roots. */
        VERIFIED,
        /** Another leaf is served: the old certificate still, or someone else's. */
        STALE,
        /** The expected leaf is served, but the chain it comes with does not verify to the roots. */
        BROKEN,
        /** No chain could be read: the connection or the TLS handshake failed. */
        UNREACHABLE
    }

    public boolean verified() {
        return outcome == Outcome.VERIFIED;
    }

    Verification withAttempts(int count) {
        return new Verification(domain, outcome, detail, servedSerial, servedSha256, at, count);
    }
}
