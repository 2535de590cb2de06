package io.certform.apply;

import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;

/**
 * Where the applier records what it does: an intent is durable before its call is sent, and each result is
 * recorded as it arrives. The state package implements it over its journal; the applier never touches a file.
 */
interface Recorder {
    /** Makes the intent durable; only then may its call be sent. */
    void intend(JournalRecord intent);

    void bound(ResourceState resource);

    void unbound(String address);

    /** The intent's call did not happen. */
    void voided(String address);
}
