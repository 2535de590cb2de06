package io.certform.apply;

import io.certform.api.ApiException;
import java.util.List;

/**
 * A call's outcome is unknown: no usable answer came, and its effect did not show within the settle window (or
 * could not be looked for). Its intent stays open in the journal for the next run, which looks before anything else.
 */
final class OutcomeUnknown extends Exception {
    final ApiException failure;
    /** The addresses of a batch whose effect showed all the same: recorded as done (the others stay open). */
    final List<String> settled;

    OutcomeUnknown(ApiException failure, String message) {
        this(failure, message, List.of());
    }

    OutcomeUnknown(ApiException failure, String message, List<String> settled) {
        super(message, null, false, false);
        this.failure = failure;
        this.settled = List.copyOf(settled);
    }
}
