package io.certform.simulator;

import com.sun.net.httpserver.Headers;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
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
    record Request(String method, String path, String query, Headers headers, byte[] body) {
    }

    /** An answer: status and JSON body (null for none). */
    record Response(int status, JsonNode body) {
    }

    /** Which faults a call can meet. */
    enum Call {
        /** The group detail and show-certificate: delays, errors, throttles, stalls. */
        READ,
        /** Add or delete the certificate of a domain: all of the above, and drops, slow and late writes. */
        WRITE,
        /** Everything else (binding a domain to a group, wrong methods, unknown paths): never faulted. */
        OTHER
    }

    private static final Pattern API_PATH = Pattern.compile(
            "^/v2/([^/]+)/(apic|apigw)/instances/([^/]+)/api-groups/([^/]+)"
                    + "(?:/(domains)(?:/([^/]+)(?:/(certificate)(?:/([^/]+))?)?)?)?/?$");
    private static final Pattern CERTIFICATE_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{3,49}$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json;
    private final CertificateInspector inspector;
    private final Supplier<String> ids;
    private final IamEmulator iam;

    GatewayApi(World world, SimulatorOptions options, JsonMapper json, CertificateInspector inspector,
               Supplier<String> ids, IamEmulator iam) {
        this.world = world;
        this.options = options;
        this.json = json;
        this.inspector = inspector;
        this.ids = ids;
        this.iam = iam;
    }

    /** Which faults the call {@code method path} can meet. */
    static Call classify(String method, String path) {
        Matcher m = API_PATH.matcher(path);
        if (!m.matches()) {
            return Call.OTHER;
        }
        boolean groupDetail = m.group(5) == null;
        boolean certificate = m.group(7) != null;
        boolean certificateId = m.group(8) != null;
        if (method.equals("GET") && (groupDetail || certificateId)) {
            return Call.READ;
        }
        if (certificate && (method.equals("POST") && !certificateId || method.equals("DELETE") && certificateId)) {
            return Call.WRITE;
        }
        return Call.OTHER;
    }

    /** Carries out one call; throws {@link ApiError} for a documented error answer. */
    Response call(Request request) {
        String method = request.method();
        String authorization = request.headers().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("SDK-HMAC-SHA256")) {
            SignatureVerifier.verify(authorization, method, request.path(), request.query(), request.headers(),
                    request.body(), options.keys(), options.clock().instant());
        } else {
            authenticate(request.headers().getFirst("X-Auth-Token"), !method.equals("GET"));
        }
        Matcher m = API_PATH.matcher(request.path());
        if (!m.matches()) {
            throw ApiError.notFoundPath();
        }
        String project = m.group(1);
        if (!options.projects().isEmpty() && !options.projects().contains(project)) {
            throw ApiError.instanceNotFound();
        }
        boolean apigw = m.group(2).equals("apigw");
        String instance = m.group(3);
        String group = m.group(4);
        String domain = m.group(6);
        String certificateId = m.group(8);
        byte[] body = request.body();
        if (m.group(5) == null) {
            return route(method, "GET", () -> showGroup(instance, group, apigw));
        }
        if (domain == null) {
            return route(method, "POST", () -> bindDomain(instance, group, body));
        }
        if (m.group(7) == null) {
            return route(method, "DELETE", () -> unbindDomain(instance, group, domain));
        }
        if (certificateId == null) {
            return route(method, "POST", () -> addCertificate(instance, group, domain, body));
        }
        if (method.equals("DELETE")) {
            world.unbind(instance, group, domain, certificateId, at());
            return new Response(204, null);
        }
        return route(method, "GET", () -> showCertificate(project, instance, group, domain, certificateId));
    }

    private static Response route(String method, String expected, Supplier<Response> call) {
        if (!method.equals(expected)) {
            throw ApiError.methodNotAllowed();
        }
        return call.get();
    }

    private World.At at() {
        return new World.At(options.clock().instant(), options.faults().readLag());
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
        World.Domain domain = world.domain(instance, group, domainId);
        JsonNode request = parseObject(body);
        String name = requiredString(request, "name");
        if (!CERTIFICATE_NAME.matcher(name).matches()) {
            throw ApiError.invalidParameter("name");
        }
        String certContent = requiredString(request, "cert_content");
        String privateKey = requiredString(request, "private_key");
        String type = optionalString(request, "type", "global");
        if (!type.equals("global") && !type.equals("instance")) {
            throw ApiError.invalidParameter("type");
        }
        String certificateInstance = optionalString(request, "instance_id", null);
        if (type.equals("instance")) {
            if (certificateInstance == null || certificateInstance.isEmpty()) {
                throw ApiError.invalidParameter("instance_id");
            }
            world.instance(certificateInstance);
        }
        BoundCertificate certificate = certify(domain, name, type, type.equals("instance") ? certificateInstance : null,
                certContent, privateKey, optionalString(request, "trusted_root_ca", null));
        world.bind(instance, group, domainId, certificate, options.onExisting(), at());

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
    private BoundCertificate certify(World.Domain domain, String name, String type, String certificateInstance,
                                     String certContent, String privateKey, String trustedRootCa) {
        CertificateInspector.Inspected inspected = inspector.inspect(certContent, privateKey);
        boolean hasRootCa = trustedRootCa != null && !trustedRootCa.isEmpty();
        if (hasRootCa) {
            inspector.checkTrustedRootCa(trustedRootCa);
        }
        Instant now = options.clock().instant();
        if (inspected.notAfter().isBefore(now)) {
            throw new ApiError(400, "APIG.2102", "The certificate has expired");
        }
        if (!CertificateInspector.covers(inspected, domain.urlDomain)) {
            throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain name");
        }
        return new BoundCertificate(ids.get(), name, type, certificateInstance, inspected.algorithmType(),
                inspected.commonName(), inspected.san(), format(inspected.notBefore()), format(inspected.notAfter()),
                inspected.serialNumber(), inspected.issuer(), inspected.signatureAlgorithm(), hasRootCa, format(now));
    }

    /**
     * {@code POST /_simulator/rebind}: puts a certificate on a domain out of band, as a console user would, with
     * the same checks as an upload. Body: {@code instance_id}, {@code group_id}, {@code domain_id} or
     * {@code url_domain}, {@code cert_content}, {@code private_key}, optional {@code name} and
     * {@code trusted_root_ca}. The key is checked, then forgotten.
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
        World.Domain domain = world.domain(instance, group, domainId);
        String name = optionalString(request, "name", "console_cert");
        if (!CERTIFICATE_NAME.matcher(name).matches()) {
            throw ApiError.invalidParameter("name");
        }
        BoundCertificate certificate = certify(domain, name, "global", null, requiredString(request, "cert_content"),
                requiredString(request, "private_key"), optionalString(request, "trusted_root_ca", null));
        world.rebind(instance, group, domainId, certificate, at());
        ObjectNode out = json.createObjectNode();
        out.put("domain_id", domainId);
        out.put("ssl_id", certificate.sslId());
        out.put("ssl_name", certificate.sslName());
        out.put("serial_number", certificate.serialNumber());
        out.put("is_has_trusted_root_ca", certificate.hasTrustedRootCa());
        return new Response(200, out);
    }

    private Response showCertificate(String project, String instance, String group, String domain, String sslId) {
        BoundCertificate c = world.certificate(instance, group, domain, sslId, at());
        ObjectNode out = json.createObjectNode();
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
        out.put("update_time", c.createTime());
        return new Response(200, out);
    }

    private Response showGroup(String instance, String group, boolean apigw) {
        List<World.DomainSnapshot> domains = world.groupDomains(instance, group, at());
        ObjectNode out = json.createObjectNode();
        out.put("id", group);
        out.put("name", "group_" + group);
        out.put("status", 1);
        out.put("sl_domain", group + ".apic.example.invalid");
        ArrayNode urlDomains = out.putArray("url_domains");
        for (World.DomainSnapshot d : domains) {
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
            if (apigw) {
                ArrayNode infos = row.putArray("ssl_infos");
                if (c != null) {
                    infos.add(sslInfo(c));
                }
            }
        }
        return new Response(200, out);
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

    private static String requiredString(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw ApiError.invalidParameter(field);
        }
        return value.stringValue();
    }

    private static String optionalString(JsonNode request, String field, String fallback) {
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

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String format(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
