package io.certform.apply;

import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Records results into state as they arrive. Writes are coalesced: a worker that finishes while another is
 * writing leaves its result for that writer's next round, so N completions cost far fewer than N rewrites, and
 * {@link #flush()} at the end writes whatever is left.
 */
final class StateRecorder {
    private final StateStore store;
    private final String version;
    private final Map<String, ResourceState> resources = new LinkedHashMap<>();
    private final ReentrantLock writing = new ReentrantLock();
    private State written;
    private long changes;
    private long changesWritten;
    private StateException writeFailure;

    StateRecorder(StateStore store, State prior, String version) {
        this.store = store;
        this.version = version;
        this.written = prior;
        prior.resources().forEach(r -> resources.put(r.address(), r));
    }

    /** Records a binding's new state, or its removal when {@code resource} is null, and persists it. */
    void record(String address, ResourceState resource) {
        synchronized (this) {
            if (resource == null) {
                resources.remove(address);
            } else {
                resources.put(address, resource);
            }
            changes++;
        }
        tryFlush();
    }

    /** Writes every recorded change; throws if a write failed along the way or fails now. */
    State flush() throws StateException {
        writing.lock();
        try {
            writePending();
            if (writeFailure != null) {
                throw writeFailure;
            }
            return written;
        } finally {
            writing.unlock();
        }
    }

    synchronized ResourceState current(String address) {
        return resources.get(address);
    }

    private void tryFlush() {
        if (!writing.tryLock()) {
            return;
        }
        try {
            writePending();
        } finally {
            writing.unlock();
        }
    }

    /** Called with {@code writing} held. */
    private void writePending() {
        while (true) {
            State next;
            long upTo;
            synchronized (this) {
                if (changesWritten == changes) {
                    return;
                }
                upTo = changes;
                next = written.next(new ArrayList<>(resources.values()), version);
            }
            try {
                store.write(next);
                written = next;
                changesWritten = upTo;
                writeFailure = null;
            } catch (StateException e) {
                writeFailure = e;
                return;
            }
        }
    }
}
