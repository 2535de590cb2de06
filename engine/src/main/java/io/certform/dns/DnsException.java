package io.certform.dns;

/** A dns-01 step that failed: the message names the zone or record, what happened and what to do. Never a secret. */
public final class DnsException extends RuntimeException {

    public DnsException(String message) {
        super(message, null, false, false);
    }

    public DnsException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
