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

    static ApiError certificateNotFound() {
        return new ApiError(404, "APIG.3021", "The SSL certificate does not exist");
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
