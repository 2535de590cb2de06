package io.certform.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Serves the gateway calls under {@code /v2/{project_id}/apic|apigw/instances/{instance_id}/api-groups/...}
 * and the simulator's own {@code /_simulator/...} endpoints.
 */
final class GatewayHandler implements HttpHandler {

    private static final Pattern API_PATH = Pattern.compile(
            "^/v2/([^/]+)/(apic|apigw)/instances/([^/]+)/api-groups/([^/]+)"
                    + "(?:/(domains)(?:/([^/]+)(?:/(certificate)(?:/([^/]+))?)?)?)?/?$");
    private static final Pattern CERTIFICATE_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{3,49}$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;
    /** The calls faults apply to: add, show and delete the certificate of a domain. */
    private static final Pattern CERTIFICATE_CALL = Pattern.compile("/domains/[^/]+/certificate(/[^/]+)?/?$");

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json = JsonMapper.builder().build();
    private final CertificateInspector inspector = new CertificateInspector();
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    private final Random ids;
    private final Random faultRandom;
    private final Map<String, LongAdder> faultCounts = new ConcurrentHashMap<>();
    private final IamEmulator iam;

    GatewayHandler(World world, SimulatorOptions options) {
        this.world = world;
        this.options = options;
        this.ids = new Random(options.seed());
        this.faultRandom = new Random(options.seed() * 31 + 7);
        this.iam = new IamEmulator(options, json, this::newId);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_simulator/")) {
                send(exchange, answer(() -> admin(exchange.getRequestMethod(), path)));
                return;
            }
            if (path.equals("/v3/auth/tokens")) {
                requestsByMethod.computeIfAbsent("IAM", m -> new LongAdder()).increment();
                IamEmulator.Answer answer = iam.issue(exchange.getRequestMethod(), body);
                if (answer.token() != null) {
                    exchange.getResponseHeaders().set("X-Subject-Token", answer.token());
                }
                send(exchange, new Response(answer.status(), answer.body()));
                return;
            }
            requestsByMethod.computeIfAbsent(exchange.getRequestMethod(), m -> new LongAdder()).increment();
            Faults.Kind fault = Faults.Kind.NONE;
            if (CERTIFICATE_CALL.matcher(path).find() && options.faults().any()) {
                Duration delay;
                synchronized (faultRandom) {
                    fault = options.faults().draw(faultRandom);
                    delay = options.faults().latency(faultRandom);
                }
                sleep(delay);
            }
            if (fault != Faults.Kind.NONE) {
                faultCounts.computeIfAbsent(fault.name().toLowerCase(java.util.Locale.ROOT), k -> new LongAdder())
                        .increment();
            }
            switch (fault) {
                case ERROR -> send(exchange, faultRandomBoolean()
                        ? error(new ApiError(500, "APIG.9999", "System error"))
                        : error(new ApiError(503, "APIG.9999", "Service unavailable, please try again later")));
                case THROTTLE -> {
                    exchange.getResponseHeaders().set("Retry-After",
                            Long.toString(Math.max(1, options.faults().retryAfter().toSeconds())));
                    send(exchange, error(new ApiError(429, "APIGW.0308",
                            "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute")));
                }
                case STALL -> sleep(options.faults().stallTime()); // then closed without an answer
                case DROP -> answer(() -> api(exchange, path, body)); // carried out, then closed without an answer
                default -> send(exchange, answer(() -> api(exchange, path, body)));
            }
        }
    }

    private Response answer(java.util.function.Supplier<Response> call) {
        try {
            return call.get();
        } catch (ApiError e) {
            return error(e);
        } catch (RuntimeException e) {
            return error(new ApiError(500, "APIG.9999", "System error"));
        }
    }

    private boolean faultRandomBoolean() {
        synchronized (faultRandom) {
            return faultRandom.nextBoolean();
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Response(int status, JsonNode body) {
    }

    // --- the gateway API -----------------------------------------------------------------------------------

    private Response api(HttpExchange exchange, String path, byte[] body) {
        String method = exchange.getRequestMethod();
        Matcher m = API_PATH.matcher(path);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("SDK-HMAC-SHA256")) {
            SignatureVerifier.verify(authorization, method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, options.keys(), options.clock().instant());
        } else {
            authenticate(exchange.getRequestHeaders().getFirst("X-Auth-Token"), !method.equals("GET"));
        }
        if (!m.matches()) {
            throw ApiError.notFoundPath();
        }
        String project = m.group(1);
        boolean apigw = m.group(2).equals("apigw");
        String instance = m.group(3);
        String group = m.group(4);
        String domain = m.group(6);
        String certificateId = m.group(8);
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
            world.unbind(instance, group, domain, certificateId);
            return new Response(204, null);
        }
        return route(method, "GET", () -> showCertificate(project, instance, group, domain, certificateId));
    }

    private static Response route(String method, String expected, java.util.function.Supplier<Response> call) {
        if (!method.equals(expected)) {
            throw ApiError.methodNotAllowed();
        }
        return call.get();
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
        String trustedRootCa = optionalString(request, "trusted_root_ca", null);
        CertificateInspector.Inspected inspected = inspector.inspect(certContent, privateKey);
        if (trustedRootCa != null && !trustedRootCa.isEmpty()) {
            inspector.checkTrustedRootCa(trustedRootCa);
        }
        Instant now = options.clock().instant();
        if (inspected.notAfter().isBefore(now)) {
            throw new ApiError(400, "APIG.2102", "The certificate has expired");
        }
        if (!CertificateInspector.covers(inspected, domain.urlDomain)) {
            throw new ApiError(400, "APIG.2103", "The certificate common name does not match the domain name");
        }
        boolean hasRootCa = trustedRootCa != null && !trustedRootCa.isEmpty();
        BoundCertificate certificate = new BoundCertificate(newId(), name, type,
                type.equals("instance") ? certificateInstance : null, inspected.algorithmType(),
                inspected.commonName(), inspected.san(), format(inspected.notBefore()), format(inspected.notAfter()),
                inspected.serialNumber(), inspected.issuer(), inspected.signatureAlgorithm(), hasRootCa, format(now));
        world.bind(instance, group, domainId, certificate, options.onExisting());

        ObjectNode out = json.createObjectNode();
        out.put("id", domain.id);
        out.put("url_domain", domain.urlDomain);
        out.put("status", 3);
        out.put("min_ssl_version", "TLSv1.2");
        out.put("is_http_redirect_to_https", false);
        out.put("verified_client_certificate_enabled", hasRootCa);
        out.put("ssl_id", certificate.sslId());
        out.put("ssl_name", certificate.sslName());
        ArrayNode infos = out.putArray("ssl_infos");
        infos.add(sslInfo(certificate));
        return new Response(201, out);
    }

    private Response showCertificate(String project, String instance, String group, String domain, String sslId) {
        BoundCertificate c = world.certificate(instance, group, domain, sslId);
        ObjectNode out = json.createObjectNode();
        out.put("id", c.sslId());
        out.put("name", c.sslName());
        out.put("type", c.type());
        out.put("instance_id", c.instanceId() == null ? "common" : c.instanceId());
        out.put("project_id", project);
        out.put("common_name", c.commonName());
        strings(out.putArray("san"), c.san());
        out.put("version", 3);
        strings(out.putArray("organization"), List.of());
        strings(out.putArray("organizational_unit"), List.of());
        strings(out.putArray("locality"), List.of());
        strings(out.putArray("state"), List.of());
        strings(out.putArray("country"), List.of());
        out.put("not_before", c.notBefore());
        out.put("not_after", c.notAfter());
        out.put("serial_number", c.serialNumber());
        strings(out.putArray("issuer"), c.issuer());
        out.put("signature_algorithm", c.signatureAlgorithm());
        out.put("algorithm_type", c.algorithmType());
        out.put("is_has_trusted_root_ca", c.hasTrustedRootCa());
        out.put("create_time", c.createTime());
        out.put("update_time", c.createTime());
        return new Response(200, out);
    }

    private Response showGroup(String instance, String group, boolean apigw) {
        List<World.DomainSnapshot> domains = world.groupDomains(instance, group);
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
        String id = newId();
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

    // --- the simulator's own endpoints ---------------------------------------------------------------------

    private Response admin(String method, String path) {
        if (path.equals("/_simulator/state") && method.equals("GET")) {
            return new Response(200, state());
        }
        if (path.equals("/_simulator/reset") && method.equals("POST")) {
            world.reset();
            requestsByMethod.clear();
            faultCounts.clear();
            return new Response(204, null);
        }
        throw ApiError.notFoundPath();
    }

    private ObjectNode state() {
        ObjectNode out = json.createObjectNode();
        ArrayNode domains = out.putArray("domains");
        for (World.DomainView d : world.domains()) {
            ObjectNode row = domains.addObject();
            row.put("instance_id", d.instanceId());
            row.put("group_id", d.groupId());
            row.put("domain_id", d.domainId());
            row.put("url_domain", d.urlDomain());
            row.put("ssl_id", d.sslId());
            row.put("ssl_name", d.sslName());
            row.put("serial_number", d.serialNumber());
            row.put("certificates_bound", d.certificatesBound());
        }
        ObjectNode counters = out.putObject("counters");
        counters.put("certificates_created", world.certificatesCreated());
        counters.put("iam_tokens_issued", iam.issued());
        ObjectNode requests = counters.putObject("requests");
        requestsByMethod.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> requests.put(e.getKey(), e.getValue().sum()));
        ObjectNode faults = counters.putObject("faults");
        for (String kind : List.of("error", "throttle", "drop", "stall")) {
            LongAdder count = faultCounts.get(kind);
            faults.put(kind, count == null ? 0 : count.sum());
        }
        return out;
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

    private synchronized String newId() {
        return String.format("%016x%016x", ids.nextLong(), ids.nextLong());
    }

    private static String format(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private Response error(ApiError e) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", e.code);
        body.put("error_msg", e.getMessage());
        return new Response(e.status, body);
    }

    private void send(HttpExchange exchange, Response response) throws IOException {
        exchange.getResponseHeaders().set("X-Request-Id", newId());
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsString(response.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
