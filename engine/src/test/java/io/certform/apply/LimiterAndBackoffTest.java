package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LimiterAndBackoffTest {

    @Test
    void backoff_isFullJitterUnderAnExponentialCeiling_cappedAndHonouringRetryAfter() {
        Backoff backoff = new Backoff(8, Duration.ofMillis(100), Duration.ofSeconds(2));
        ApiException error = new ApiException(503, "APIG.9999", "busy", null);
        Random random = new Random(3);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = Math.min(2000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long delay = backoff.delay(attempt, error, random).toMillis();
                assertTrue(delay >= 0 && delay <= ceiling, attempt + ": " + delay);
            }
        }
        ApiException throttled = new ApiException(429, "APIGW.0308", "slow down", null, Duration.ofSeconds(1));
        assertEquals(Duration.ofSeconds(1), backoff.delay(1, throttled, random));
        ApiException tooLong = new ApiException(429, "APIGW.0308", "slow down", null, Duration.ofMinutes(10));
        assertEquals(Duration.ofSeconds(2), backoff.delay(1, tooLong, random), "Retry-After is capped too");
    }

    @Test
    void limiter_halvesOnThrottling_andGrowsBackAdditively() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(16);
        limiter.throttled();
        assertEquals(8, limiter.lowest());
        limiter.throttled();
        assertEquals(8, limiter.lowest(), "no second halving without a success in between");
        limiter.succeeded();
        limiter.throttled();
        assertEquals(4, limiter.lowest());
        for (int i = 0; i < 4; i++) {
            limiter.acquire();
        }
        Thread blocked = new Thread(() -> {
            try {
                limiter.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blocked.start();
        blocked.join(200);
        assertTrue(blocked.isAlive(), "a fifth call waits at limit 4");
        for (int i = 0; i < 20; i++) {
            limiter.succeeded();
        }
        blocked.join(2000);
        assertTrue(!blocked.isAlive(), "successes raise the limit and let it in");
        assertEquals(3, limiter.throttles());
    }

    @Test
    void retryability_followsTheStatus() {
        assertTrue(new ApiException(0, null, "reset", null).isRetryable());
        assertTrue(new ApiException(502, null, "bad gateway", null).isRetryable());
        assertTrue(new ApiException(429, "APIGW.0308", "x", null).isRetryable());
        for (int status : new int[] {400, 401, 403, 404}) {
            assertTrue(!new ApiException(status, "APIG.2012", "x", null).isRetryable(), status + "");
        }
    }
}
