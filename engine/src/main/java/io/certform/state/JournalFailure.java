package io.certform.state;

/**
 * The journal could not be written while a run was recording: nothing further may be sent. Unchecked, so that it
 * crosses the executor's worker threads; {@link #failure()} says which file and what went wrong.
 */
public final class JournalFailure extends RuntimeException {
    private final StateException failure;

    public JournalFailure(StateException failure) {
        super(failure.getMessage(), failure);
        this.failure = failure;
    }

    public StateException failure() {
        return failure;
    }
}
