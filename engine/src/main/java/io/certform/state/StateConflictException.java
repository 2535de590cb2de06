package io.certform.state;

/**
 * A write was refused because the stored state is not the one it follows: another lineage, or a serial other
 * than the one before it (another run wrote in between). Nothing was written.
 */
public final class StateConflictException extends StateException {
    public StateConflictException(String message) {
        super(message);
    }
}
