package io.certform.acme;

import java.time.Instant;

/**
 * An issuance that failed, of a named {@link Kind}: the message names the CA, what it said and what to do; never a
 * secret (no account key, EAB HMAC or certificate key).
 */
public final class AcmeIssueException extends RuntimeException {

    /** Why it failed; {@link #code()} is the ACME error type's name where the CA gave one. */
    public enum Kind {
        /** The CA refuses more for now ({@code rateLimited}); {@link #retryAfter()} says when to try again. */
        RATE_LIMITED("rateLimited"),
        /** The CA refused the account or the request ({@code unauthorized}). */
        UNAUTHORIZED("unauthorized"),
        /** The CA needs an external account binding and none was given ({@code externalAccountRequired}). */
        EAB_REQUIRED("externalAccountRequired"),
        /** The external account binding was refused (unknown key id, wrong HMAC key). */
        EAB_INVALID("externalAccountBindingInvalid"),
        /** The CA's terms must be accepted by a person first ({@code userActionRequired}). */
        USER_ACTION_REQUIRED("userActionRequired"),
        /** The CA looked for a challenge record and did not find the value: {@link #record()}, {@link #answered()}. */
        CHALLENGE_FAILED("challengeFailed"),
        /** A challenge record could not be published, or was not seen on the name servers in time. */
        DNS("dns"),
        /** The CA offers no dns-01 challenge for a name. */
        NO_DNS01("noDns01Challenge"),
        /** The order ended invalid, or the CA did not finish it in time. */
        ORDER_FAILED("orderFailed"),
        /** The ACME server could not be reached (network, TLS). */
        NETWORK("network"),
        /** Any other error the CA answered. */
        CA_ERROR("caError");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;
    private final Instant retryAfter;
    private final String record;
    private final String answered;

    AcmeIssueException(Kind kind, String message, Throwable cause) {
        this(kind, message, cause, null, null, null);
    }

    AcmeIssueException(Kind kind, String message, Throwable cause, Instant retryAfter, String record, String answered) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
        this.record = record;
        this.answered = answered;
    }

    public Kind kind() {
        return kind;
    }

    /** When the CA said to try again ({@link Kind#RATE_LIMITED}), or null. */
    public Instant retryAfter() {
        return retryAfter;
    }

    /** The challenge record the CA looked for ({@link Kind#CHALLENGE_FAILED}), or null. */
    public String record() {
        return record;
    }

    /** What the name servers answered for {@link #record()} when the CA gave up, or null. */
    public String answered() {
        return answered;
    }
}
