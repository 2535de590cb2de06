package io.certform.simulator;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * IAM's token call, {@code POST /v3/auth/tokens} with a password identity, for the users the simulator was given:
 * 201 with the token in {@code X-Subject-Token}, or IAM's own error format. Its tokens are accepted by the gateway
 * calls until they expire ({@code --token-ttl}), then answered 401 {@code APIG.1001}.
 */
final class IamEmulator {

    /** What to answer: status, body, and the token header (null on failure). */
    record Answer(int status, JsonNode body, String token) {
    }

    private final SimulatorOptions options;
    private final JsonMapper json;
    private final Supplier<String> ids;
    private final Map<String, Instant> issued = new ConcurrentHashMap<>();

    IamEmulator(SimulatorOptions options, JsonMapper json, Supplier<String> ids) {
        this.options = options;
        this.json = json;
        this.ids = ids;
    }

    Answer issue(String method, byte[] body) {
        JsonNode user = null;
        try {
            JsonNode request = json.readTree(body);
            user = request == null ? null : request.path("auth").path("identity").path("password").path("user");
        } catch (JacksonException ignored) {
            // answered below as a bad request
        }
        if (user == null || user.isMissingNode() || !method.equals("POST")) {
            return error(400, "The request you have made requires authentication.", "Bad Request");
        }
        String key = user.path("domain").path("name").asString("") + "/" + user.path("name").asString("");
        String password = options.iamUsers().get(key);
        if (password == null || !password.equals(user.path("password").asString(null))) {
            return error(401, "The username or password is wrong.", "Unauthorized");
        }
        String token = "MII" + ids.get() + ids.get();
        Instant expires = options.tokenTtl() == null ? Instant.MAX : options.clock().instant().plus(options.tokenTtl());
        issued.put(token, expires);
        ObjectNode out = json.createObjectNode();
        ObjectNode t = out.putObject("token");
        t.putArray("methods").add("password");
        t.put("expires_at", expires.equals(Instant.MAX) ? "9999-12-31T00:00:00Z"
                : DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.SECONDS)));
        t.putObject("user").put("name", user.path("name").asString("")).putObject("domain")
                .put("name", user.path("domain").path("name").asString(""));
        return new Answer(201, out, token);
    }

    /** True when the token is one of ours and still valid; 401 APIG.1001 when it expired; false when not ours. */
    boolean check(String token) {
        Instant expires = issued.get(token);
        if (expires == null) {
            return false;
        }
        if (options.clock().instant().isAfter(expires)) {
            throw new ApiError(401, "APIG.1001", "The token expires.");
        }
        return true;
    }

    int issued() {
        return issued.size();
    }

    private Answer error(int status, String message, String title) {
        ObjectNode out = json.createObjectNode();
        out.putObject("error").put("code", status).put("message", message).put("title", title);
        return new Answer(status, out, null);
    }
}
