package io.certform.simulator;

import com.sun.net.httpserver.Headers;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway calls under {@code /v2/{project_id}/apic|apigw/instances/{instance_id}/api-groups/...}: checks what
 * the service checks, changes the {@link World}, and builds the documented answers. Faults are not its business;
 * {@link GatewayHandler} decides whether and when a call is carried out.
 */
final class GatewayApi {

    /** What a call needs from its HTTP request, kept so that a late write can be carried out after the answer. */
    record Request(String method, String path, String query, Headers headers, byte[] body, Route route) {
    }

    /** An answer: status and JSON body (null for none). */
    record Response(int status, JsonNode body) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json;
    private final CertificateInspector inspector;
    private final Supplier<String> ids;
    private final IamEmulator iam;
    private final CertificateManagementApi management;

    GatewayApi(World world, SimulatorOptions options, JsonMapper json, CertificateInspector inspector,
               Supplier<String> ids, IamEmulator iam) {
        this.world = world;
        this.options = options;
        this.json = json;
        this.inspector = inspector;
        this.ids = ids;
        this.iam = iam;
        this.management = new CertificateManagementApi(world, options, json, inspector, ids);
    }

    /** Carries out one call; throws {@link ApiError} for a documented error answer. */
    Response call(Request request) {
        String method = request.method();
        authenticate(request);
        Route route = request.route();
        if (route.kind() == Route.Kind.NOT_FOUND) {
            throw ApiError.notFoundPath();
        }
        String project = route.project();
        if (!projectExists(project)) {
            throw ApiError.instanceNotFound(); // what the real service answers for a wrong project id (API.md)
        }
        String instance = route.instance();
        String group = route.group();
        String domain = route.domain();
        byte[] body = request.body();
        return switch (route.kind()) {
            case GROUP_SHOW -> showGroup(instance, group, route.apigw());
            case GROUP_LIST -> listGroups(instance, route.apigw(), request.query());
            case DOMAIN_BIND -> bindDomain(instance, group, body);
            case DOMAIN_UNBIND -> unbindDomain(instance, group, domain);
            case DOMAIN_CERTIFICATE_ADD -> addCertificate(instance, group, domain, body);
            case DOMAIN_CERTIFICATE_SHOW -> showCertificate(project, instance, group, domain, route.id());
            case DOMAIN_CERTIFICATE_DELETE -> {
                world.unbind(instance, group, domain, route.id(), at());
                yield new Response(204, null);
            }
            case WRONG_METHOD -> throw ApiError.methodNotAllowed();
            default -> management.call(route, request.query(), body, at());
        };
    }

    /**
     * True when a path naming {@code project} reaches this world: the world's own project ({@link World#projectId})
     * and those of {@link SimulatorOptions#projects} exist; with neither set, every project id does.
     */
    private boolean projectExists(String project) {
        String own = world.projectId();
        if (own == null && options.projects().isEmpty()) {
            return true;
        }
        return project.equals(own) || options.projects().contains(project);
    }

    World.At at() {
        return new World.At(options.clock().instant(), options.faults().readLag());
    }

    /** Checks the request's AK/SK signature or token, as for every service the simulator serves (DNS too). */
    void authenticate(Request request) {
        String authorization = request.headers().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("SDK-HMAC-SHA256")) {
            SignatureVerifier.verify(authorization, request.method(), request.path(), request.query(),
                    request.headers(), request.body(), options.keys(), options.clock().instant());
        } else {
            authenticate(request.headers().getFirst("X-Auth-Token"), !request.method().equals("GET"));
        }
    }

    private void authenticate(String token, boolean write) {
        if (token == null || token.isBlank()) {
            throw ApiError.tokenMissing();
        }
        if (iam.check(token)) {
            return;
        }
        if (options.readOnlyTokens().contains(token)) {
            if (write) {
                throw ApiError.noPermission();
            }
            return;
        }
        if (!options.tokens().isEmpty() && !options.tokens().contains(token)) {
            throw ApiError.tokenInvalid();
        }
    }

    private Response addCertificate(String instance, String group, String domainId, byte[] body) {
        Domain domain = world.domain(instance, group, domainId);
        CertificateForm form = CertificateForm.read(parseObject(body), false);
        if (form.instanceId() != null) {
            world.instance(form.instanceId());
        }
        BoundCertificate certificate = certify(domain, form);
        world.bind(instance, group, domainId, certificate, form.material(inspector, world), options.onExisting(), at());

        ObjectNode out = json.createObjectNode();
        out.put("id", domain.id);
        out.put("url_domain", domain.urlDomain);
        out.put("status", 3);
        out.put("min_ssl_version", "TLSv1.2");
        out.put("is_http_redirect_to_https", false);
        out.put("verified_client_certificate_enabled", certificate.hasTrustedRootCa());
        out.put("ssl_id", certificate.sslId());
        out.put("ssl_name", certificate.sslName());
        out.putArray("ssl_infos").add(sslInfo(certificate));
        return new Response(201, out);
    }

    /** The service's checks on an upload for {@code domain}, and the certificate it would then remember. */
    private BoundCertificate certify(Domain domain, CertificateForm form) {
        BoundCertificate certificate = form.certify(inspector, ids.get(), options.clock().instant());
        if (!CertificateInspector.covers(certificate.san(), certificate.commonName(), domain.urlDomain)) {
            throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain name");
        }
        return certificate;
    }

    /**
     * {@code POST /_simulator/rebind}: puts a certificate on a domain out of band, as a console user would, with
     * the same checks as an upload. Body: {@code instance_id}, {@code group_id}, {@code domain_id} or
     * {@code url_domain}, {@code cert_content}, {@code private_key}, optional {@code name} and
     * {@code trusted_root_ca}. The key is checked, then kept in memory only for the TLS port.
     */
    Response rebind(byte[] body) {
        JsonNode request = parseObject(body);
        String instance = requiredString(request, "instance_id");
        String group = requiredString(request, "group_id");
        String domainId = optionalString(request, "domain_id", null);
        if (domainId == null) {
            domainId = world.domainIdByName(instance, group, requiredString(request, "url_domain"));
            if (domainId == null) {
                world.group(instance, group);
                throw ApiError.domainNotFound();
            }
        }
        Domain domain = world.domain(instance, group, domainId);
        ObjectNode form = (ObjectNode) request.deepCopy();
        form.put("name", optionalString(request, "name", "console_cert"));
        form.remove(List.of("type", "instance_id"));
        CertificateForm upload = CertificateForm.read(form, false);
        BoundCertificate certificate = certify(domain, upload);
        world.rebind(instance, group, domainId, certificate, upload.material(inspector, world), at());
        ObjectNode out = json.createObjectNode();
        out.put("domain_id", domainId);
        out.put("ssl_id", certificate.sslId());
        out.put("ssl_name", certificate.sslName());
        out.put("serial_number", certificate.serialNumber());
        out.put("is_has_trusted_root_ca", certificate.hasTrustedRootCa());
        return new Response(200, out);
    }

    private Response showCertificate(String project, String instance, String group, String domain, String sslId) {
        BoundCertificate c = world.reads().certificate(instance, group, domain, sslId, at());
        ObjectNode out = json.createObjectNode();
        describe(out, c, project, c.createTime(), options);
        return new Response(200, out);
    }

    /** The certificate answer: metadata only, never the PEM or the key. */
    static void describe(ObjectNode out, BoundCertificate c, String project, String updateTime,
                         SimulatorOptions options) {
        out.put("id", c.sslId());
        out.put("name", c.sslName());
        out.put("type", c.type());
        out.put("instance_id", c.instanceId() == null ? "common" : c.instanceId());
        out.put("project_id", project);
        out.put("common_name", c.commonName());
        strings(out.putArray("san"), c.san());
        out.put("version", 3);
        for (String empty : List.of("organization", "organizational_unit", "locality", "state", "country")) {
            out.putArray(empty);
        }
        out.put("not_before", c.notBefore());
        out.put("not_after", c.notAfter());
        out.put("serial_number", options.serialFormat().render(c.serialNumber(), c.sslId(), options.seed()));
        strings(out.putArray("issuer"), c.issuer());
        out.put("signature_algorithm", c.signatureAlgorithm());
        out.put("algorithm_type", c.algorithmType());
        out.put("is_has_trusted_root_ca", c.hasTrustedRootCa());
        out.put("create_time", c.createTime());
        out.put("update_time", updateTime);
    }

    private Response showGroup(String instance, String group, boolean apigw) {
        ObjectNode out = json.createObjectNode();
        groupBody(out, instance, group, apigw);
        return new Response(200, out);
    }

    /**
     * {@code GET .../instances/{i}/api-groups?offset=&limit=}: the instance's groups, each with its
     * {@code url_domains} as in the group detail; {@code {total, size, groups[]}}, paged like the other lists.
     */
    private Response listGroups(String instance, boolean apigw, String query) {
        List<String> groups = world.groupIds(instance);
        CertificateManagementApi.Page page = CertificateManagementApi.page(CertificateManagementApi.query(query),
                groups.size());
        ObjectNode out = json.createObjectNode();
        out.put("total", groups.size());
        out.put("size", page.size());
        ArrayNode rows = out.putArray("groups");
        for (String group : groups.subList(page.from(), page.to())) {
            groupBody(rows.addObject(), instance, group, apigw);
        }
        return new Response(200, out);
    }

    private void groupBody(ObjectNode out, String instance, String group, boolean apigw) {
        List<LaggedReads.DomainSnapshot> domains = world.reads().groupDomains(instance, group, at());
        out.put("id", group);
        out.put("name", "group_" + group);
        out.put("status", 1);
        out.put("sl_domain", group + ".apic.example.invalid");
        ArrayNode urlDomains = out.putArray("url_domains");
        for (LaggedReads.DomainSnapshot d : domains) {
            ObjectNode row = urlDomains.addObject();
            BoundCertificate c = d.certificate();
            row.put("id", d.id());
            row.put("domain", d.urlDomain());
            row.put("cname_status", 3);
            row.put("ssl_id", c == null ? "" : c.sslId());
            row.put("ssl_name", c == null ? "" : c.sslName());
            row.put("min_ssl_version", "TLSv1.2");
            row.put("verified_client_certificate_enabled", c != null && c.hasTrustedRootCa());
            row.put("is_has_trusted_root_ca", c != null && c.hasTrustedRootCa());
            // API Gateway lists every certificate a domain carries; ROMA documents ssl_infos as not supported yet,
            // but a domain there that carries more than one certificate (the management model) lists them too.
            if (apigw || d.infos().size() > 1) {
                ArrayNode infos = row.putArray("ssl_infos");
                for (BoundCertificate info : d.infos()) {
                    infos.add(sslInfo(info));
                }
            }
        }
    }

    private Response bindDomain(String instance, String group, byte[] body) {
        world.group(instance, group);
        String urlDomain = requiredString(parseObject(body), "url_domain");
        String id = ids.get();
        world.addDomain(instance, group, id, urlDomain);
        ObjectNode out = json.createObjectNode();
        out.put("id", id);
        out.put("url_domain", urlDomain);
        out.put("status", 3);
        out.put("min_ssl_version", "TLSv1.2");
        out.put("is_http_redirect_to_https", false);
        out.put("verified_client_certificate_enabled", false);
        return new Response(201, out);
    }

    private Response unbindDomain(String instance, String group, String domain) {
        world.removeDomain(instance, group, domain);
        return new Response(204, null);
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private JsonNode parseObject(byte[] body) {
        return parseObject(json, body);
    }

    static JsonNode parseObject(JsonMapper json, byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiError.invalidParameter("body");
            }
            return node;
        } catch (JacksonException e) {
            throw ApiError.invalidParameter("body");
        }
    }

    static String requiredString(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw ApiError.invalidParameter(field);
        }
        return value.stringValue();
    }

    static String optionalString(JsonNode request, String field, String fallback) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isString()) {
            throw ApiError.invalidParameter(field);
        }
        return value.stringValue();
    }

    private ObjectNode sslInfo(BoundCertificate c) {
        ObjectNode info = json.createObjectNode();
        info.put("ssl_id", c.sslId());
        info.put("ssl_name", c.sslName());
        info.put("algorithm_type", c.algorithmType());
        info.put("type", c.type());
        return info;
    }

    static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    static String format(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
