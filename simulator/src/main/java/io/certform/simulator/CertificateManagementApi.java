package io.certform.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The certificate-management calls ({@code /v2/{project}/{svc}/certificates...}, and the per-domain
 * {@code certificates/attach|detach} under an instance): create a certificate once, attach it to many domains,
 * update it in place. Checks what the service checks; each distinct upload is parsed once (the inspector caches
 * by content hash).
 */
final class CertificateManagementApi {

    /** Paging: the default and the largest {@code limit}, as Huawei's list calls document them. */
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json;
    private final CertificateInspector inspector;
    private final Supplier<String> ids;

    CertificateManagementApi(World world, SimulatorOptions options, JsonMapper json, CertificateInspector inspector,
                             Supplier<String> ids) {
        this.world = world;
        this.options = options;
        this.json = json;
        this.inspector = inspector;
        this.ids = ids;
    }

    GatewayApi.Response call(Route route, String query, byte[] body, World.At at) {
        String service = route.service();
        String id = route.id();
        return switch (route.kind()) {
            case CERTIFICATE_CREATE -> create(route, body);
            case CERTIFICATE_SHOW -> answer(200, route, world.managedModel().show(service, id));
            case CERTIFICATE_UPDATE -> update(route, body);
            case CERTIFICATE_DELETE -> {
                world.managedModel().delete(service, id);
                yield new GatewayApi.Response(204, null);
            }
            case CERTIFICATE_LIST -> list(route, query);
            case CERTIFICATE_ATTACH, CERTIFICATE_DETACH -> {
                world.managedModel().attachByCertificate(service, id, targets(body), route.kind() == Route.Kind.CERTIFICATE_ATTACH,
                        at);
                yield new GatewayApi.Response(204, null);
            }
            case CERTIFICATE_ATTACHED_DOMAINS -> attachedDomains(route, query, at);
            case DOMAIN_CERTIFICATES_ATTACH, DOMAIN_CERTIFICATES_DETACH -> {
                world.managedModel().attachToDomain(service, route.instance(), route.group(), route.domain(), certificateIds(body),
                        route.kind() == Route.Kind.DOMAIN_CERTIFICATES_ATTACH, at);
                yield new GatewayApi.Response(204, null);
            }
            default -> throw ApiError.notFoundPath();
        };
    }

    private GatewayApi.Response create(Route route, byte[] body) {
        CertificateForm form = CertificateForm.read(GatewayApi.parseObject(json, body), true);
        BoundCertificate certificate = form.certify(inspector, ids.get(), options.clock().instant());
        return answer(201, route, world.managedModel().create(route.service(), certificate, form.material(inspector, world)));
    }

    private GatewayApi.Response update(Route route, byte[] body) {
        world.managedModel().show(route.service(), route.id()); // an unknown certificate is a 404 before the body is judged
        CertificateForm form = CertificateForm.read(GatewayApi.parseObject(json, body), true);
        BoundCertificate next = form.certify(inspector, route.id(), options.clock().instant());
        return answer(200, route, world.managedModel().update(route.service(), route.id(), next,
                form.material(inspector, world), next.createTime()));
    }

    private GatewayApi.Response answer(int status, Route route, ManagedModel.ManagedView view) {
        ObjectNode out = json.createObjectNode();
        GatewayApi.describe(out, view.metadata(), route.project(), view.updateTime(), options);
        return new GatewayApi.Response(status, out);
    }

    private GatewayApi.Response list(Route route, String query) {
        Map<String, String> q = query(query);
        String name = q.get("name");
        String type = q.get("type");
        String algorithm = q.get("algorithm_type");
        String instance = q.get("instance_id");
        List<ManagedModel.ManagedView> matching = new ArrayList<>();
        for (ManagedModel.ManagedView v : world.managedModel().list(route.service())) {
            BoundCertificate c = v.metadata();
            // like Huawei's other list calls, name is a fuzzy (substring, case-insensitive) filter
            if (name != null && !name.isEmpty() && !c.sslName().toLowerCase(Locale.ROOT)
                    .contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (type != null && !type.isEmpty() && !c.type().equals(type)) {
                continue;
            }
            if (algorithm != null && !algorithm.isEmpty() && !c.algorithmType().equals(algorithm)) {
                continue;
            }
            String certificateInstance = c.instanceId() == null ? "common" : c.instanceId();
            if (instance != null && !instance.isEmpty() && !certificateInstance.equals(instance)) {
                continue;
            }
            matching.add(v);
        }
        Page page = page(q, matching.size());
        ObjectNode out = json.createObjectNode();
        out.put("total", matching.size());
        out.put("size", page.size());
        ArrayNode certs = out.putArray("certs");
        for (ManagedModel.ManagedView v : matching.subList(page.from(), page.to())) {
            GatewayApi.describe(certs.addObject(), v.metadata(), route.project(), v.updateTime(), options);
        }
        return new GatewayApi.Response(200, out);
    }

    private GatewayApi.Response attachedDomains(Route route, String query, World.At at) {
        List<ManagedModel.Attachment> all = world.managedModel().attachments(route.service(), route.id(), at);
        Page page = page(query(query), all.size());
        ObjectNode out = json.createObjectNode();
        out.put("total", all.size());
        out.put("size", page.size());
        ArrayNode rows = out.putArray("bound_domains");
        for (ManagedModel.Attachment a : all.subList(page.from(), page.to())) {
            ObjectNode row = rows.addObject();
            row.put("url_domain", a.urlDomain());
            row.put("id", a.domainId());
            row.put("status", 3);
            row.put("min_ssl_version", "TLSv1.2");
            row.put("is_http_redirect_to_https", false);
            row.put("verified_client_certificate_enabled", false);
            // what users of the real service met: these two come back empty here
            row.put("ssl_id", "");
            row.put("ssl_name", "");
            row.put("api_group_id", a.groupId());
            row.put("api_group_name", "group_" + a.groupId());
            row.put("instance_id", a.instanceId());
        }
        return new GatewayApi.Response(200, out);
    }

    /** The {@code domains} of an attach/detach body: each a name and the instances it lives in. */
    private List<ManagedModel.DomainTarget> targets(byte[] body) {
        JsonNode domains = GatewayApi.parseObject(json, body).get("domains");
        if (domains == null || !domains.isArray() || domains.isEmpty()) {
            throw ApiError.invalidParameter("domains");
        }
        List<ManagedModel.DomainTarget> targets = new ArrayList<>(domains.size());
        for (JsonNode d : domains) {
            if (!d.isObject()) {
                throw ApiError.invalidParameter("domains");
            }
            String name = GatewayApi.requiredString(d, "domain");
            JsonNode instances = d.get("instance_ids");
            if (instances == null || !instances.isArray() || instances.isEmpty()) {
                throw ApiError.invalidParameter("instance_ids");
            }
            List<String> instanceIds = new ArrayList<>(instances.size());
            for (JsonNode i : instances) {
                if (!i.isString() || i.stringValue().isEmpty()) {
                    throw ApiError.invalidParameter("instance_ids");
                }
                instanceIds.add(i.stringValue());
            }
            JsonNode verify = d.get("verified_client_certificate_enabled");
            if (verify != null && !verify.isNull() && !verify.isBoolean()) {
                throw ApiError.invalidParameter("verified_client_certificate_enabled");
            }
            targets.add(new ManagedModel.DomainTarget(name, instanceIds));
        }
        return targets;
    }

    private List<String> certificateIds(byte[] body) {
        JsonNode ids = GatewayApi.parseObject(json, body).get("certificate_ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw ApiError.invalidParameter("certificate_ids");
        }
        List<String> out = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isString() || id.stringValue().isEmpty()) {
                throw ApiError.invalidParameter("certificate_ids");
            }
            out.add(id.stringValue());
        }
        return out;
    }

    /** One page of a list: {@code [from, to)}. */
    record Page(int from, int to) {
        int size() {
            return to - from;
        }
    }

    /** {@code offset} (default 0) and {@code limit} (default 20, 1..500); anything else is APIG.2012. */
    static Page page(Map<String, String> query, int total) {
        int offset = number(query, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = number(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int from = Math.min(offset, total);
        return new Page(from, (int) Math.min((long) from + limit, total));
    }

    private static int number(Map<String, String> query, String name, int fallback, int min, int max) {
        String text = query.get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw ApiError.invalidParameter(name);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.invalidParameter(name);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
