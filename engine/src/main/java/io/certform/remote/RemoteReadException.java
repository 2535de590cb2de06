package io.certform.remote;

import io.certform.api.ApiException;

/**
 * The remote side could not be read, so nothing may be concluded from it: never "the domain is gone", never a
 * change to the state. The message names the endpoint, project, instance and group, and what to check.
 */
public final class RemoteReadException extends Exception {

    /** What went wrong. */
    public enum Kind {
        /** APIG.3030 / APIG.3024: the instance does not exist at this endpoint and project. */
        INSTANCE_NOT_FOUND,
        /** APIG.3001: the API group does not exist in this instance. */
        GROUP_NOT_FOUND,
        /** Another 404: often a wrong endpoint, region or project id. */
        NOT_FOUND,
        /** Refused credentials (401, 403). */
        REFUSED,
        /** No answer, or a server-side failure, after retries. */
        FAILED
    }

    private final Kind kind;
    private final transient ApiException cause;

    RemoteReadException(Kind kind, String message, ApiException cause) {
        super(message, null, false, false);
        this.kind = kind;
        this.cause = cause;
    }

    public Kind kind() {
        return kind;
    }

    /** The API's answer (or the transport failure) behind this. */
    public ApiException apiError() {
        return cause;
    }

    static Kind classify(ApiException e) {
        if (e.isAuthFailure()) {
            return Kind.REFUSED;
        }
        if (!e.isNotFound()) {
            return Kind.FAILED;
        }
        String code = e.errorCode() == null ? "" : e.errorCode();
        return switch (code) {
            case "APIG.3030", "APIG.3024" -> Kind.INSTANCE_NOT_FOUND;
            case "APIG.3001" -> Kind.GROUP_NOT_FOUND;
            default -> Kind.NOT_FOUND;
        };
    }
}
