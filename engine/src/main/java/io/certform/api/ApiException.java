package io.certform.api;

/**
 * A call that did not succeed: an error answer of the API ({@code status} and the body's {@code error_code} /
 * {@code error_msg}), or no answer at all ({@code status} 0).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String errorCode;
    private final String errorMessage;
    private final String requestId;
    private final java.time.Duration retryAfter;
    private final boolean unreadable;
    private boolean notSent;
    private boolean noErrorBody;
    private boolean unreachable;
    private io.certform.base.Exhaustion exhausted;

    public ApiException(int status, String errorCode, String errorMessage, String requestId) {
        this(status, errorCode, errorMessage, requestId, null);
    }

    public ApiException(int status, String errorCode, String errorMessage, String requestId,
                        java.time.Duration retryAfter) {
        this(status, errorCode, errorMessage, requestId, retryAfter, false);
    }

    private ApiException(int status, String errorCode, String errorMessage, String requestId,
                         java.time.Duration retryAfter, boolean unreadable) {
        super(describe(status, errorCode, errorMessage), null, false, false);
        this.unreadable = unreadable;
        this.status = status;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    /** The answer's {@code Retry-After}, or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    /**
     * Worth trying again: no answer (connection error, timeout), throttled (429), or a server-side failure
     * (500, 502, 503, 504, APIG.9999). Never 400, 403, 404: those answer the same every time.
     */
    public boolean isRetryable() {
        return exhausted == null && !unreachable && status == 0 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
                || "APIG.9999".equals(errorCode);
    }

    /** Throttled: the call was refused, not carried out. */
    public boolean isThrottled() {
        return status == 429;
    }
    /** A success status whose body could not be read: the call was carried out, but its answer is lost. */
    public static ApiException unreadable(int status, String requestId) {
        return new ApiException(status, null, "the answer (HTTP " + status + ") could not be read", requestId, null,
                true);
    }

    /**
     * A success status whose body does not say what the call made ({@code why}: "names no ssl_id"): the call may
     * have been carried out, and what it made is to be looked for.
     */
    public static ApiException unreadable(int status, String requestId, String why) {
        return new ApiException(status, null, "the answer " + why, requestId, null, true);
    }

    /**
     * Whether the call may have been carried out although no usable answer came: no answer at all (timeout, reset),
     * a gateway in front of the service gave up (502, 504), or a success whose body could not be read. A write in
     * this state is neither failed nor done: its effect must be looked for on the remote side.
     */
    public boolean isOutcomeUnknown() {
        return (status == 0 && !notSent) || status == 502 || status == 504 || unreadable
                || (status >= 500 && noErrorBody);
    }

    /**
     * A server-side failure answered without the service's error body: often a proxy or load balancer in front of
     * the service speaking, which cannot say whether the service carried the call out.
     */
    public static ApiException withoutErrorBody(int status, String requestId, java.time.Duration retryAfter) {
        ApiException e = new ApiException(status, null, "unexpected answer without an error body", requestId,
                retryAfter);
        e.noErrorBody = true;
        return e;
    }

    /** No connection could be made (refused, unknown host): the request never reached the service. */
    public static ApiException notSent(String what) {
        ApiException e = new ApiException(0, null, what, null);
        e.notSent = true;
        return e;
    }

    /**
     * The gateway cannot be reached as configured, and trying again would meet the same wall: nothing listens at
     * the endpoint's port (connection refused), its host name does not resolve, or its TLS certificate is not
     * trusted. The request never reached the service; {@code what} says which, and what to check.
     */
    public static ApiException unreachable(String what) {
        ApiException e = new ApiException(0, null, what, null);
        e.notSent = true;
        e.unreachable = true;
        return e;
    }

    /**
     * The endpoint cannot be reached as configured ({@link #unreachable}): not retried, and no later call can fare
     * better, so a run stops starting new ones.
     */
    public boolean isUnreachable() {
        return unreachable;
    }

    /**
     * No connection could be made because this machine ran out of something (file handles for sockets): the
     * request never left, and trying again before the run stops would fail the same way.
     */
    public static ApiException exhausted(io.certform.base.Exhaustion what, String detail) {
        ApiException e = new ApiException(0, null, detail, null);
        e.notSent = true;
        e.exhausted = what;
        return e;
    }

    /** What this machine ran out of, when that is why the call was not made; else null. */
    public io.certform.base.Exhaustion exhausted() {
        return exhausted;
    }

    /** No answer: connection refused, reset, timed out. */
    public static ApiException transport(String what) {
        return new ApiException(0, null, what, null);
    }

    public int status() {
        return status;
    }

    /** e.g. {@code APIG.3020}; null when the answer had no error body. */
    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public String requestId() {
        return requestId;
    }

    /** 401 and 403: the credentials are wrong for every call, not just this one. */
    public boolean isAuthFailure() {
        return status == 401 || status == 403;
    }

    /** The domain, group or instance (or the certificate on it) does not exist. */
    public boolean isNotFound() {
        return status == 404;
    }

    /** The domain already carries a certificate and the service refuses a second one. */
    public boolean isConflict() {
        return "APIG.3400".equals(errorCode);
    }

    private static String describe(int status, String code, String message) {
        if (status == 0) {
            return message;
        }
        return (code == null ? "HTTP " + status : code + " (HTTP " + status + ")") + ": " + message;
    }
}
