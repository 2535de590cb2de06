package io.certform.simulator;

/** An error answer of the emulated API: HTTP status plus the documented {@code error_code}/{@code error_msg}. */
final class ApiError extends RuntimeException {
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiError invalidParameter(String parameter) {
        return new ApiError(400, "APIG.2012",
                "Invalid parameter value,parameterName:" + parameter + ". Please refer to the support documentation");
    }

    static ApiError tokenMissing() {
        return new ApiError(401, "APIG.1000", "Token is missing");
    }

    static ApiError tokenInvalid() {
        return new ApiError(401, "APIG.1002", "Incorrect token or token resolution failed");
    }

    static ApiError noPermission() {
        return new ApiError(403, "APIG.1005", "No permissions to request this method");
    }

    static ApiError instanceNotFound() {
        return new ApiError(404, "APIG.3030", "The instance does not exist");
    }

    static ApiError groupNotFound() {
        return new ApiError(404, "APIG.3001", "The API group does not exist");
    }

    static ApiError domainNotFound() {
        return new ApiError(404, "APIG.3020", "The URL domain does not exist");
    }

    /** A domain named in a certificate-management body that the instance does not have. */
    static ApiError domainNotFound(String name, String instanceId) {
        return new ApiError(404, "APIG.3020", "The URL domain " + name + " does not exist in instance " + instanceId);
    }

    static ApiError certificateNotFound() {
        return new ApiError(404, "APIG.3021", "The SSL certificate does not exist");
    }

    /** An unknown certificate of the certificate-management model. */
    static ApiError managedCertificateNotFound() {
        return new ApiError(404, "APIG.3025", "The SSL certificate does not exist");
    }

    /**
     * A managed certificate still attached to domains cannot be deleted. The real code is not documented; the
     * simulator answers 400 APIG.3400 with the count in the message.
     */
    static ApiError certificateInUse(int domains) {
        return new ApiError(400, "APIG.3400",
                "The certificate is still attached to " + domains + " domain name(s); detach it first");
    }

    /** A second managed certificate with a name already used in the service (code not documented). */
    static ApiError certificateNameTaken(String name) {
        return new ApiError(400, "APIG.3400", "A certificate named " + name + " already exists");
    }

    static ApiError conflict() {
        return new ApiError(400, "APIG.3400", "The resource cannot be changed.");
    }

    static ApiError notFoundPath() {
        return new ApiError(404, "APIG.0101", "The API does not exist or has not been published in the environment");
    }

    static ApiError methodNotAllowed() {
        return new ApiError(405, "APIG.0103", "The method is not allowed on this resource");
    }
}
