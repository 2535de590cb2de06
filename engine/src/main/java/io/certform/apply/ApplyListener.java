package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.plan.ResourceChange;
import java.time.Duration;

/** Hears each change of an apply as it starts and ends; called from worker threads. */
public interface ApplyListener {
    void started(ResourceChange change);

    /**
     * @param sslId the certificate now bound, or null after a delete
     * @param note  something the user should know about how it went, or null
     */
    void completed(ResourceChange change, String sslId, Duration took, String note);

    void failed(ResourceChange change, ApiException error);

    /**
     * A call of this change got no usable answer and its effect did not show in time: it may still take effect.
     * It was not sent again; its intent stays in the journal for the next run to settle.
     */
    void unknown(ResourceChange change, String why);

    /** A change that was not attempted because an earlier failure stopped the run. */
    void skipped(ResourceChange change, String why);

    /** A call of this change failed and will be tried again after {@code delay}. */
    default void retrying(ResourceChange change, int attempt, ApiException error, Duration delay) {
    }
}
