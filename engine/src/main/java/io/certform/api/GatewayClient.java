package io.certform.api;

import io.certform.base.LibraryText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The certificate calls of the gateway API, on both services' paths. Thread-safe. */
public final class GatewayClient {

    private static final MediaType JSON = MediaType.get("application/json;charset=utf-8");

    private final OkHttpClient http;
    private final Endpoint endpoint;
    private final HttpUrl base;
    private final JsonMapper json = JsonMapper.builder().build();

    public GatewayClient(OkHttpClient http, Endpoint endpoint) {
        this.http = http;
        this.endpoint = endpoint;
        this.base = HttpUrl.get(endpoint.baseUrl());
    }

    /**
     * Per-call limits: to connect, between bytes read, for the whole call, and for each answer of the server during
     * a TLS handshake (no longer than {@code read}: a server that does not answer a ClientHello at once does not
     * speak TLS, while an API answer may be slow).
     */
    public record Timeouts(Duration connect, Duration read, Duration call, Duration handshake) {
        public static final Duration DEFAULT_HANDSHAKE = Duration.ofSeconds(10);
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), DEFAULT_HANDSHAKE);

        /** With the default handshake timeout. */
        public Timeouts(Duration connect, Duration read, Duration call) {
            this(connect, read, call, DEFAULT_HANDSHAKE);
        }

        public Timeouts withHandshake(Duration value) {
            return new Timeouts(connect, read, call, value);
        }

        /** What a handshake waits for each answer: the handshake timeout, or the read timeout when shorter. */
        public Duration handshakeLimit() {
            return handshake.compareTo(read) < 0 ? handshake : read;
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** {@code POST .../domains/{domain_id}/certificate}: binds a certificate to a domain (201). */
    public CertificateBinding addCertificate(DomainLocation at, AddCertificateRequest request) {
        ObjectNode body = json.createObjectNode();
        body.put("name", request.name());
        body.put("cert_content", request.certContent());
        body.put("private_key", request.privateKey().reveal());
        body.put("type", request.type());
        if (request.instanceId() != null) {
            body.put("instance_id", request.instanceId());
        }
        if (request.trustedRootCa() != null) {
            body.put("trusted_root_ca", request.trustedRootCa());
        }
        HttpUrl url = domainUrl(at).addPathSegment("certificate").build();
        Request call = new Request.Builder().url(url)
                .post(RequestBody.create(json.writeValueAsBytes(body), JSON)).build();
        JsonNode answer = execute(call, 201);
        return new CertificateBinding(text(answer, "id"), text(answer, "url_domain"), text(answer, "ssl_id"),
                text(answer, "ssl_name"));
    }

    /** {@code DELETE .../domains/{domain_id}/certificate/{certificate_id}} (204). */
    public void deleteCertificate(DomainLocation at, String sslId) {
        HttpUrl url = domainUrl(at).addPathSegment("certificate").addPathSegment(sslId).build();
        execute(new Request.Builder().url(url).delete().build(), 204);
    }

    /** {@code GET .../domains/{domain_id}/certificate/{certificate_id}} (200). */
    public CertificateDetail showCertificate(DomainLocation at, String sslId) {
        HttpUrl url = domainUrl(at).addPathSegment("certificate").addPathSegment(sslId).build();
        return detail(execute(new Request.Builder().url(url).get().build(), 200));
    }

    private static CertificateDetail detail(JsonNode a) {
        return new CertificateDetail(text(a, "id"), text(a, "name"), text(a, "type"), text(a, "common_name"),
                strings(a, "san"), text(a, "not_before"), text(a, "not_after"), text(a, "serial_number"),
                text(a, "algorithm_type"), strings(a, "issuer"), bool(a, "is_has_trusted_root_ca"),
                text(a, "create_time"));
    }

    // --- the certificate-management model: /v2/{project}/{svc}/certificates (not under an instance) ----------

    /** {@code POST .../certificates} (201): creates a certificate to attach to domains later. */
    public CertificateDetail createCertificate(CertificateForm form) {
        Request call = new Request.Builder().url(certificatesUrl().build()).post(form(form)).build();
        return detail(execute(call, 201));
    }

    /** {@code GET .../certificates/{id}} (200). */
    public CertificateDetail showManagedCertificate(String certificateId) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        return detail(execute(new Request.Builder().url(url).get().build(), 200));
    }

    /** {@code PUT .../certificates/{id}} (200): new content in place; the id and every attachment stay. */
    public CertificateDetail updateCertificate(String certificateId, CertificateForm form) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        return detail(execute(new Request.Builder().url(url).put(form(form)).build(), 200));
    }

    /** {@code DELETE .../certificates/{id}} (204); the service refuses it while a domain carries the certificate. */
    public void deleteManagedCertificate(String certificateId) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        execute(new Request.Builder().url(url).delete().build(), 204);
    }

    /** {@code GET .../certificates?name=&offset=&limit=} (200); {@code name} is a fuzzy filter on the service. */
    public ManagedCertificates.CertificatePage listCertificates(String name, int offset, int limit) {
        HttpUrl.Builder url = certificatesUrl().addQueryParameter("offset", Integer.toString(offset))
                .addQueryParameter("limit", Integer.toString(limit));
        if (name != null) {
            url.addQueryParameter("name", name);
        }
        JsonNode a = execute(new Request.Builder().url(url.build()).get().build(), 200);
        List<CertificateDetail> certificates = new ArrayList<>();
        for (JsonNode c : a.path("certs")) {
            certificates.add(detail(c));
        }
        return new ManagedCertificates.CertificatePage(a.path("total").asInt(certificates.size()), certificates);
    }

    /** {@code POST .../certificates/{id}/domains/attach} (204): one call for every domain named. */
    public void attachDomains(String certificateId, List<ManagedCertificates.DomainTarget> domains) {
        domainsCall(certificateId, "attach", domains);
    }

    /** {@code POST .../certificates/{id}/domains/detach} (204): only the domains named, never the others. */
    public void detachDomains(String certificateId, List<ManagedCertificates.DomainTarget> domains) {
        domainsCall(certificateId, "detach", domains);
    }

    /** {@code GET .../certificates/{id}/attached-domains?offset=&limit=} (200). */
    public ManagedCertificates.AttachedPage attachedDomains(String certificateId, int offset, int limit) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).addPathSegment("attached-domains")
                .addQueryParameter("offset", Integer.toString(offset))
                .addQueryParameter("limit", Integer.toString(limit)).build();
        JsonNode a = execute(new Request.Builder().url(url).get().build(), 200);
        List<ManagedCertificates.AttachedDomain> domains = new ArrayList<>();
        for (JsonNode d : a.path("bound_domains")) {
            domains.add(new ManagedCertificates.AttachedDomain(text(d, "id"), text(d, "url_domain"),
                    text(d, "api_group_id"), text(d, "instance_id")));
        }
        return new ManagedCertificates.AttachedPage(a.path("total").asInt(domains.size()), domains);
    }

    private void domainsCall(String certificateId, String verb, List<ManagedCertificates.DomainTarget> domains) {
        ObjectNode body = json.createObjectNode();
        var list = body.putArray("domains");
        for (ManagedCertificates.DomainTarget d : domains) {
            ObjectNode entry = list.addObject();
            entry.put("domain", d.domain());
            var instances = entry.putArray("instance_ids");
            d.instanceIds().forEach(instances::add);
            entry.put("verified_client_certificate_enabled", d.verifyClientCertificate());
        }
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).addPathSegment("domains")
                .addPathSegment(verb).build();
        execute(new Request.Builder().url(url).post(RequestBody.create(json.writeValueAsBytes(body), JSON)).build(),
                204);
    }

    private RequestBody form(CertificateForm form) {
        ObjectNode body = json.createObjectNode();
        body.put("name", form.name());
        body.put("cert_content", form.certContent());
        body.put("private_key", form.privateKey().reveal());
        body.put("type", form.type());
        if (form.instanceId() != null) {
            body.put("instance_id", form.instanceId());
        }
        if (form.trustedRootCa() != null) {
            body.put("trusted_root_ca", form.trustedRootCa());
        }
        if (form.algorithmType() != null) {
            body.put("algorithm_type", form.algorithmType());
        }
        if (form.certContentSign() != null) {
            body.put("cert_content_sign", form.certContentSign());
            body.put("private_key_sign", form.privateKeySign().reveal());
        }
        return RequestBody.create(json.writeValueAsBytes(body), JSON);
    }

    private HttpUrl.Builder certificatesUrl() {
        return base.newBuilder().addPathSegment("v2").addPathSegment(endpoint.projectId())
                .addPathSegment(endpoint.service().pathPrefix()).addPathSegment("certificates");
    }

    /** {@code GET .../api-groups/{group_id}} (200): the group and its domains. */
    public GroupDetail showGroup(String instanceId, String groupId) {
        HttpUrl url = instanceUrl(instanceId).addPathSegment("api-groups").addPathSegment(groupId).build();
        return group(execute(new Request.Builder().url(url).get().build(), 200));
    }

    /** One page of an instance's API groups, each with its domains. */
    public record GroupPage(int total, List<GroupDetail> groups) {
        public GroupPage {
            groups = List.copyOf(groups);
        }
    }

    /** {@code GET .../instances/{instance_id}/api-groups?offset=&limit=} (200): {@code {total, size, groups[]}}. */
    public GroupPage listGroups(String instanceId, int offset, int limit) {
        HttpUrl url = instanceUrl(instanceId).addPathSegment("api-groups")
                .addQueryParameter("offset", Integer.toString(offset))
                .addQueryParameter("limit", Integer.toString(limit)).build();
        JsonNode a = execute(new Request.Builder().url(url).get().build(), 200);
        List<GroupDetail> groups = new ArrayList<>();
        for (JsonNode g : a.path("groups")) {
            groups.add(group(g));
        }
        return new GroupPage(a.path("total").asInt(groups.size()), groups);
    }

    private static GroupDetail group(JsonNode a) {
        List<GroupDetail.Domain> domains = new ArrayList<>();
        for (JsonNode d : a.path("url_domains")) {
            List<GroupDetail.SslInfo> infos = new ArrayList<>();
            for (JsonNode i : d.path("ssl_infos")) {
                infos.add(new GroupDetail.SslInfo(text(i, "ssl_id"), text(i, "ssl_name"), text(i, "algorithm_type"),
                        text(i, "type")));
            }
            Boolean clientCa = bool(d, "verified_client_certificate_enabled");
            domains.add(new GroupDetail.Domain(text(d, "id"), text(d, "domain"), text(d, "ssl_id"),
                    text(d, "ssl_name"), clientCa != null ? clientCa : bool(d, "is_has_trusted_root_ca"), infos));
        }
        return new GroupDetail(text(a, "id"), domains);
    }

    private HttpUrl.Builder instanceUrl(String instanceId) {
        return base.newBuilder().addPathSegment("v2").addPathSegment(endpoint.projectId())
                .addPathSegment(endpoint.service().pathPrefix()).addPathSegment("instances")
                .addPathSegment(instanceId);
    }

    private HttpUrl.Builder domainUrl(DomainLocation at) {
        return instanceUrl(at.instanceId()).addPathSegment("api-groups").addPathSegment(at.groupId())
                .addPathSegment("domains").addPathSegment(at.domainId());
    }

    private JsonNode execute(Request untagged, int expected) {
        TlsHandshakes.Progress handshake = new TlsHandshakes.Progress();
        Request request = untagged.newBuilder().tag(TlsHandshakes.Progress.class, handshake).build();
        try (Response response = execute(request)) {
            ResponseBody body = response.body();
            byte[] bytes = body.bytes();
            if (response.code() == expected) {
                if (bytes.length == 0) {
                    return json.createObjectNode();
                }
                return parse(bytes, response);
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
            if (e instanceof UnknownHostException || e instanceof ConnectException || isUntrusted(e)) {
                // the request never reached the service, and trying again meets the same wall
                throw ApiException.unreachable(describe(e, request));
            }
            if (handshake.failedInHandshake() && TlsHandshakes.isNotTls(e)) {
                // no request is written before the handshake, and the next handshake would meet the same server
                throw ApiException.unreachable(notTls(e, request));
            }
            if (e instanceof SSLHandshakeException) {
                throw ApiException.notSent(describe(e, request)); // no request is written before the handshake
            }
            throw ApiException.transport(describe(e, request));
        }
    }

    private Response execute(Request request) throws IOException {
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
        if (isUntrusted(e)) {
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

    /**
     * A TLS handshake that failed because the server's certificate is not trusted (no path to a trusted root, or it
     * does not name the host): the same on every attempt.
     */
    static boolean isUntrusted(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (!(e instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> out = new ArrayList<>();
        JsonNode value = node.get(field);
        if (value != null && value.isArray()) {
            value.forEach(n -> out.add(io.certform.base.Printable.of(n.asString().trim())));
        } else if (value != null && value.isString()) {
            out.add(io.certform.base.Printable.of(value.asString().trim()));
        }
        return out;
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        return "true".equalsIgnoreCase(value.asString().trim());
    }

    /** A string field, trimmed (the service's own example answers {@code "id" : " f6bb..."}). */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // what the gateway answers is shown to people and written to logs: never a control sequence
        return io.certform.base.Printable.of(value.asString().trim());
    }
}
