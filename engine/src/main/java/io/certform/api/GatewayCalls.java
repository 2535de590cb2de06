package io.certform.api;

import static io.certform.api.GatewayAnswers.text;

import io.certform.base.LibraryText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's calls on the wire: sends a request, reads the answer, and maps what went wrong to an
 * {@link ApiException}: an error body to its code and message, a transport failure ({@link TransportFailure}) to
 * whether the request may have been sent and whether trying again can help, each with what to check. Thread-safe.
 * Huawei Cloud DNS calls ({@code io.certform.dns}) go through it too: their error bodies are {@code {code, message}}.
 */
public final class GatewayCalls {

    private final OkHttpClient http;
    private final JsonMapper json;

    public GatewayCalls(OkHttpClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    /**
     * Sends {@code untagged} and reads the answer. Any 2xx is a success, whatever status the API documents for the
     * call (201 for an add): a proxy or a newer server answering 200 carried the call out, and refusing its answer
     * would void a call that took effect.
     */
    public JsonNode execute(Request untagged) {
        return execute(untagged, null);
    }

    /**
     * As {@link #execute(Request)}, for a write whose answer must name what it made: a success whose body lacks
     * {@code named} (empty, {@code {}}) says nothing of what the service holds, so it is an answer that could not be
     * read ({@link ApiException#unreadable}), whose effect is looked for, never a result with a null id.
     */
    JsonNode execute(Request untagged, String named) {
        TlsHandshakes.Progress handshake = new TlsHandshakes.Progress();
        Request request = untagged.newBuilder().tag(TlsHandshakes.Progress.class, handshake).build();
        try (Response response = send(request)) {
            ResponseBody body = response.body();
            byte[] bytes = body.bytes();
            if (response.isSuccessful()) {
                JsonNode answer = bytes.length == 0 ? json.createObjectNode() : parse(bytes, response);
                String made = named == null ? null : text(answer, named);
                if (named != null && (made == null || made.isEmpty())) {
                    throw ApiException.unreadable(response.code(), io.certform.base.Printable.of(
                            response.header("X-Request-Id")), "names no " + named);
                }
                return answer;
            }
            throw error(response, bytes);
        } catch (AuthenticationException e) {
            throw new ApiException(e.status() == 0 ? 401 : e.status(), "IAM", e.getMessage(), null);
        } catch (IamTokenAuth.Unreachable e) {
            throw ApiException.unreachable(e.getMessage()); // IAM, not the gateway: named as such
        } catch (IOException e) {
            io.certform.base.Exhaustion what = io.certform.base.Exhaustion.of(e);
            if (what == io.certform.base.Exhaustion.FILES) {
                // no socket could be opened: the request never left this machine
                throw ApiException.exhausted(what, describe(e, request));
            }
            switch (TransportFailure.of(e, handshake)) {
                // the request never reached the service, and trying again meets the same wall
                case NO_SUCH_HOST, NO_CONNECTION, UNTRUSTED -> throw ApiException.unreachable(describe(e, request));
                // no request is written before the handshake, and the next handshake would meet the same server
                case NOT_TLS -> throw ApiException.unreachable(notTls(e, request));
                // no request is written before the handshake
                case HANDSHAKE -> throw ApiException.notSent(describe(e, request));
                default -> throw ApiException.transport(describe(e, request));
            }
        }
    }

    private Response send(Request request) throws IOException {
        io.certform.base.IoFault.check("connect");
        if (!"GET".equals(request.method())) {
            io.certform.base.IoFault.allocate();
        }
        return http.newCall(request).execute();
    }

    private JsonNode parse(byte[] bytes, Response response) {
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            throw ApiException.unreadable(response.code(), io.certform.base.Printable.of(response.header("X-Request-Id")));
        }
    }

    private ApiException error(Response response, byte[] bytes) {
        String requestId = io.certform.base.Printable.of(response.header("X-Request-Id"));
        Duration retryAfter = retryAfter(response.header("Retry-After"));
        try {
            JsonNode node = json.readTree(bytes);
            if (node != null && node.has("error_code")) {
                return new ApiException(response.code(), text(node, "error_code"), text(node, "error_msg"),
                        requestId != null ? requestId : text(node, "request_id"), retryAfter);
            }
            if (node != null && node.has("code") && node.has("message")) { // Huawei Cloud DNS, and other services
                return new ApiException(response.code(), text(node, "code"), text(node, "message"), requestId,
                        retryAfter);
            }
        } catch (JacksonException ignored) {
            // not a documented error body: described by status below
        }
        return ApiException.withoutErrorBody(response.code(), requestId, retryAfter);
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is rare from this API and read as absent). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String describe(IOException e, Request request) {
        String target = request.url().scheme() + "://" + request.url().host() + ":" + request.url().port();
        if (e instanceof UnknownHostException) {
            return "cannot resolve the host name " + request.url().host() + " (no such host is known to DNS): check"
                    + " provider.endpoint and provider.region";
        }
        if (e instanceof ConnectException) {
            boolean refused = false; // okhttp wraps the socket's "Connection refused" in "Failed to connect to ..."
            for (Throwable t = e; t != null && !refused; t = t.getCause() == t ? null : t.getCause()) {
                refused = t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT)
                        .contains("refused");
            }
            if (refused) {
                return "cannot connect to " + target + ": connection refused (nothing listens on port "
                        + request.url().port() + " of " + request.url().host() + "): check the host and port of"
                        + " provider.endpoint";
            }
            return "cannot connect to " + target + ": " + LibraryText.clause(e) + ": check provider.endpoint and"
                    + " the network route to it";
        }
        if (TransportFailure.isUntrusted(e)) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return "TLS failure talking to " + target + ": its certificate is not trusted (" + LibraryText.clause(root)
                    + "): check provider.endpoint; a gateway behind a private CA needs --ca-bundle FILE";
        }
        if (e instanceof InterruptedIOException) {
            return "no answer from " + target + " in time (timed out)";
        }
        if (e instanceof SSLException) {
            return "TLS failure talking to " + target + ": " + LibraryText.clause(e);
        }
        String detail = e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getMessage().replaceAll("\\s+on\\s+\\S+$", "");
        return "no answer from " + target + ": the connection failed (" + detail + ")";
    }

    /** An {@code https://} endpoint whose server does not speak TLS: silent, answering in plain text, or hanging up. */
    private String notTls(IOException e, Request request) {
        String target = request.url().scheme() + "://" + request.url().host() + ":" + request.url().port();
        return target + TlsHandshakes.what(e, http) + ": does it speak TLS? (an http:// endpoint, or another port?) Check provider.endpoint.";
    }
}
