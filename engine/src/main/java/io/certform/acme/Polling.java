package io.certform.acme;

import io.certform.base.Sleeper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

/** Polls an order or authorization until it reaches one of some statuses, honouring Retry-After, up to a limit. */
final class Polling {

    private final Duration interval;
    private final Duration limit;
    private final Sleeper sleeper;

    Polling(Duration interval, Duration limit, Sleeper sleeper) {
        this.interval = interval;
        this.limit = limit;
        this.sleeper = sleeper;
    }

    /** The status {@code resource} reached: one of {@code until}, or the last seen when {@code limit} passed (null). */
    Status until(PollableResource resource, Set<Status> until) throws AcmeException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<Instant> retryAfter = resource.fetch();
            Status status = resource.getStatus();
            if (until.contains(status)) {
                return status;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            Duration wait = interval;
            if (retryAfter.isPresent()) {
                Duration asked = Duration.between(Instant.now(), retryAfter.get());
                if (asked.compareTo(wait) > 0) {
                    wait = asked;
                }
            }
            if (wait.toNanos() > left) {
                wait = Duration.ofNanos(left);
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AcmeIssueException(AcmeIssueException.Kind.ORDER_FAILED,
                        "interrupted while waiting for the ACME server", e);
            }
        }
    }

    Duration limit() {
        return limit;
    }
}
