package io.certform.state;

/** The state is locked by another run (or a lock could not be taken); the message names the holder. */
public final class StateLockException extends Exception {
    private final StateLock holder;

    public StateLockException(String message, StateLock holder) {
        super(message);
        this.holder = holder;
    }

    /** The lock's holder, or null when the lock file could not be read. */
    public StateLock holder() {
        return holder;
    }
}
