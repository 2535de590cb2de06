package io.certform.api;

import static io.certform.api.GatewayAnswers.detail;
import static io.certform.api.GatewayAnswers.group;
import static io.certform.api.GatewayAnswers.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The certificate calls of the gateway API, on both services' paths. Thread-safe. */
public final class GatewayClient {

    private static final MediaType JSON = MediaType.get("application/json;charset=utf-8");

    private final Endpoint endpoint;
    private final HttpUrl base;
    private final JsonMapper json = JsonMapper.builder().build();
    private final GatewayCalls calls;
    private final OkHttpClient http;

    public GatewayClient(OkHttpClient http, Endpoint endpoint) {
        this.http = http;
        this.calls = new GatewayCalls(http, json);
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

    /** The HTTP client with this gateway's authentication: other Huawei Cloud APIs of the account use it too. */
    public OkHttpClient http() {
        return http;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * {@code POST .../domains/{domain_id}/certificate}: binds a certificate to a domain (201). A success that names no
     * {@code ssl_id} is an unknown outcome ({@link ApiException#isOutcomeUnknown}), to be settled by looking.
     */
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
        JsonNode answer = calls.execute(call, "ssl_id");
        return new CertificateBinding(text(answer, "id"), text(answer, "url_domain"), text(answer, "ssl_id"),
                text(answer, "ssl_name"));
    }

    /** {@code DELETE .../domains/{domain_id}/certificate/{certificate_id}} (204). */
    public void deleteCertificate(DomainLocation at, String sslId) {
        HttpUrl url = domainUrl(at).addPathSegment("certificate").addPathSegment(sslId).build();
        calls.execute(new Request.Builder().url(url).delete().build());
    }

    /** {@code GET .../domains/{domain_id}/certificate/{certificate_id}} (200). */
    public CertificateDetail showCertificate(DomainLocation at, String sslId) {
        HttpUrl url = domainUrl(at).addPathSegment("certificate").addPathSegment(sslId).build();
        return detail(calls.execute(new Request.Builder().url(url).get().build()));
    }

    // --- the certificate-management model: /v2/{project}/{svc}/certificates (not under an instance) ----------

    /**
     * {@code POST .../certificates} (201): creates a certificate to attach to domains later. A success that names no
     * {@code id} is an unknown outcome, to be settled by looking.
     */
    public CertificateDetail createCertificate(CertificateForm form) {
        Request call = new Request.Builder().url(certificatesUrl().build()).post(form(form)).build();
        return detail(calls.execute(call, "id"));
    }

    /** {@code GET .../certificates/{id}} (200). */
    public CertificateDetail showManagedCertificate(String certificateId) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        return detail(calls.execute(new Request.Builder().url(url).get().build()));
    }

    /** {@code PUT .../certificates/{id}} (200): new content in place; the id and every attachment stay. */
    public CertificateDetail updateCertificate(String certificateId, CertificateForm form) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        return detail(calls.execute(new Request.Builder().url(url).put(form(form)).build()));
    }

    /** {@code DELETE .../certificates/{id}} (204); the service refuses it while a domain carries the certificate. */
    public void deleteManagedCertificate(String certificateId) {
        HttpUrl url = certificatesUrl().addPathSegment(certificateId).build();
        calls.execute(new Request.Builder().url(url).delete().build());
    }

    /** {@code GET .../certificates?name=&offset=&limit=} (200); {@code name} is a fuzzy filter on the service. */
    public ManagedCertificates.CertificatePage listCertificates(String name, int offset, int limit) {
        HttpUrl.Builder url = certificatesUrl().addQueryParameter("offset", Integer.toString(offset))
                .addQueryParameter("limit", Integer.toString(limit));
        if (name != null) {
            url.addQueryParameter("name", name);
        }
        JsonNode a = calls.execute(new Request.Builder().url(url.build()).get().build());
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
        JsonNode a = calls.execute(new Request.Builder().url(url).get().build());
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
        calls.execute(new Request.Builder().url(url).post(RequestBody.create(json.writeValueAsBytes(body), JSON))
                .build());
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
        return group(calls.execute(new Request.Builder().url(url).get().build()));
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
        JsonNode a = calls.execute(new Request.Builder().url(url).get().build());
        List<GroupDetail> groups = new ArrayList<>();
        for (JsonNode g : a.path("groups")) {
            groups.add(group(g));
        }
        return new GroupPage(a.path("total").asInt(groups.size()), groups);
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
}
