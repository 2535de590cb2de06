package io.certform.api;

import io.certform.base.Secret;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates with an IAM token obtained with a user's password ({@code POST /v3/auth/tokens}, the token in the
 * {@code X-Subject-Token} header). The token is fetched on first use, cached for the run, and fetched again once
 * when the gateway answers that it expired ({@code APIG.1001}); the refused call is then sent again, which is safe
 * since a 401 means it was not carried out.
 */
public final class IamTokenAuth implements Interceptor {

    private final OkHttpClient iam;
    private final HttpUrl tokensUrl;
    private final String domain;
    private final String user;
    private final Secret password;
    private final String scopeProjectName;
    private final String scopeProjectId;
    private final JsonMapper json = JsonMapper.builder().build();
    private String token;
    private int fetches;

    /**
     * @param iam              the client for IAM calls (same TLS settings, no gateway auth)
     * @param tokensUrl        e.g. {@code https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens}
     * @param scopeProjectName the project (region) name to scope the token to, or null to scope by id
     */
    public IamTokenAuth(OkHttpClient iam, HttpUrl tokensUrl, String domain, String user, Secret password,
                        String scopeProjectName, String scopeProjectId) {
        this.iam = iam;
        this.tokensUrl = tokensUrl;
        this.domain = domain;
        this.user = user;
        this.password = password;
        this.scopeProjectName = scopeProjectName;
        this.scopeProjectId = scopeProjectId;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String used = current();
        Response response = chain.proceed(withToken(chain.request(), used));
        if (response.code() == 401 && response.peekBody(4096).string().contains("APIG.1001")) {
            response.close();
            return chain.proceed(withToken(chain.request(), refresh(used)));
        }
        return response;
    }

    /** How many tokens were fetched this run (one, or two after an expiry). */
    public synchronized int fetches() {
        return fetches;
    }

    private static Request withToken(Request request, String token) {
        return request.newBuilder().header("X-Auth-Token", token).build();
    }

    private synchronized String current() throws IOException {
        if (token == null) {
            token = fetch();
        }
        return token;
    }

    /** A new token, unless another thread already replaced the expired one. */
    private synchronized String refresh(String expired) throws IOException {
        if (token == null || token.equals(expired)) {
            token = fetch();
        }
        return token;
    }

    private String fetch() throws IOException {
        ObjectNode body = json.createObjectNode();
        ObjectNode identity = body.putObject("auth").putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode userNode = identity.putObject("password").putObject("user");
        userNode.putObject("domain").put("name", domain);
        userNode.put("name", user);
        userNode.put("password", password.reveal());
        ObjectNode project = ((ObjectNode) body.get("auth")).putObject("scope").putObject("project");
        if (scopeProjectName != null) {
            project.put("name", scopeProjectName);
        } else {
            project.put("id", scopeProjectId);
        }
        TlsHandshakes.Progress handshake = new TlsHandshakes.Progress();
        Request request = new Request.Builder().url(tokensUrl)
                .post(RequestBody.create(json.writeValueAsBytes(body), MediaType.get("application/json;charset=utf-8")))
                .tag(TlsHandshakes.Progress.class, handshake)
                .build();
        Response answered;
        String at = tokensUrl.scheme() + "://" + tokensUrl.host() + ":" + tokensUrl.port();
        String check = "check HW_AUTH_URL (or provider.region, from which the IAM endpoint is made)";
        try {
            answered = iam.newCall(request).execute();
        } catch (IOException e) {
            // the same rule as the gateway's calls: what fails the same way every time is not retried
            switch (TransportFailure.of(e, handshake)) {
                case NO_SUCH_HOST, NO_CONNECTION -> throw new Unreachable("cannot reach IAM at " + at
                        + " to exchange the password for a token (" + io.certform.base.LibraryText.clause(e) + "): "
                        + check + " and the network route to it; the gateway itself was not called", e);
                case NOT_TLS -> throw new Unreachable("IAM at " + at + TlsHandshakes.what(e, iam) + ": does it speak"
                        + " TLS? (an http:// endpoint, or another port?) Then " + check + "; the gateway itself was not"
                        + " called", e);
                case UNTRUSTED -> throw new Unreachable("IAM at " + at + " presented a certificate this machine does"
                        + " not trust (" + io.certform.base.LibraryText.clause(e) + "): " + check + ", or give its CA"
                        + " with --ca-bundle; the gateway itself was not called", e);
                default -> throw e;
            }
        }
        try (Response response = answered) {
            String subject = response.header("X-Subject-Token");
            if (response.code() == 201 && subject != null && !subject.isBlank()) {
                fetches++;
                return subject;
            }
            // the status is carried apart, and said once where this is reported ("IAM (HTTP 401): ...")
            throw new AuthenticationException(response.code(), "IAM at " + tokensUrl.host() + " refused the password"
                    + " of user '" + user + "' in domain '" + domain + "'");
        }
    }

    /** IAM could not be reached at all (refused, no such host, an untrusted certificate): retrying cannot help. */
    public static final class Unreachable extends IOException {
        Unreachable(String message, IOException cause) {
            super(message, cause);
        }
    }

    @Override
    public String toString() {
        return "IamTokenAuth(user " + user + ", password (sensitive))";
    }
}
