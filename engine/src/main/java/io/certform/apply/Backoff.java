package io.certform.apply;

import io.certform.api.ApiException;
import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter and a cap, honouring {@code Retry-After}.
 *
 * @param maxAttempts attempts per call, the first included
 * @param base        the first delay's upper bound
 * @param cap         no delay exceeds this (nor does a {@code Retry-After})
 */
public record Backoff(int maxAttempts, Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(8, Duration.ofMillis(200), Duration.ofSeconds(20));

    /** The wait before attempt {@code attempt + 1}, after {@code error}. */
    public Duration delay(int attempt, ApiException error, Random random) {
        if (error.retryAfter() != null) {
            return error.retryAfter().compareTo(cap) > 0 ? cap : error.retryAfter();
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }
}
