package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Huawei Cloud DNS record-set API under {@code /v2/zones}, as the official SDK
 * ({@code huaweicloud-sdk-dns} 3.1.130) calls it: list zones, a zone's name servers, create, list, show, update
 * ({@code PUT}: its records, ttl, description) and delete record sets. Authenticated as the gateway is (AK/SK or token, {@link GatewayApi#authenticate}); DNS errors are
 * answered {@code {"code", "message"}} as the DNS service documents them.
 */
final class DnsApi {

    /** A documented DNS error answer. */
    static final class DnsError extends RuntimeException {
        final int status;
        final String code;

        DnsError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final DnsZones zones;
    private final JsonMapper json;

    DnsApi(DnsZones zones, JsonMapper json) {
        this.zones = zones;
        this.json = json;
    }

    static boolean handles(String path) {
        return path.equals("/v2/zones") || path.startsWith("/v2/zones/");
    }

    /** Carries out one DNS call (already authenticated); a {@link DnsError} becomes its documented answer. */
    GatewayApi.Response call(String method, String path, String query, byte[] body) {
        try {
            return route(method, path.split("/"), CertificateManagementApi.query(query), body);
        } catch (DnsError e) {
            ObjectNode error = json.createObjectNode();
            error.put("code", e.code);
            error.put("message", e.getMessage());
            return new GatewayApi.Response(e.status, error);
        }
    }

    // parts: "", "v2", "zones", {zone}, "recordsets" | "nameservers", {recordset}
    private GatewayApi.Response route(String method, String[] parts, Map<String, String> query, byte[] body) {
        if (parts.length == 3) {
            return only(method, "GET", () -> listZones(query));
        }
        String zoneId = parts[3];
        if (parts.length == 5 && parts[4].equals("nameservers")) {
            return only(method, "GET", () -> nameServers(zoneId));
        }
        if (parts.length == 5 && parts[4].equals("recordsets")) {
            return switch (method) {
                case "GET" -> listRecordSets(zoneId, query);
                case "POST" -> new GatewayApi.Response(202, create(zoneId, body));
                default -> throw new DnsError(405, "DNS.0002", "Invalid request.");
            };
        }
        if (parts.length == 6 && parts[4].equals("recordsets")) {
            return switch (method) {
                case "GET" -> new GatewayApi.Response(200, recordSet(zones.show(zoneId, parts[5])));
                case "PUT" -> new GatewayApi.Response(202, update(zoneId, parts[5], body));
                case "DELETE" -> new GatewayApi.Response(202, recordSet(zones.delete(zoneId, parts[5])));
                default -> throw new DnsError(405, "DNS.0002", "Invalid request.");
            };
        }
        throw new DnsError(404, "DNS.0002", "Invalid request.");
    }

    private static GatewayApi.Response only(String method, String allowed,
                                            java.util.function.Supplier<GatewayApi.Response> call) {
        if (!method.equals(allowed)) {
            throw new DnsError(405, "DNS.0002", "Invalid request.");
        }
        return call.get();
    }

    private GatewayApi.Response listZones(Map<String, String> query) {
        String name = query.get("name");
        ArrayNode list = json.createArrayNode();
        for (DnsZones.Zone z : zones.zones()) {
            if (name == null || name.isEmpty() || z.name().contains(DnsZones.fqdn(name).replaceAll("\\.$", ""))) {
                ObjectNode row = list.addObject();
                row.put("id", z.id());
                row.put("name", z.name());
                row.put("description", "");
                row.put("email", "hostmaster@" + z.name().replaceAll("\\.$", ""));
                row.put("zone_type", "public");
                row.put("ttl", 300);
                row.put("serial", 1);
                row.put("status", "ACTIVE");
                row.put("record_num", zones.recordSets(z.id(), null, null).size() + 2);
                row.put("pool_id", "00000000570e54ee01570e9939b20019");
                row.put("project_id", "e55c6f3dc4e34c9f86353b664ae0e70c");
                row.put("created_at", z.createdAt().toString());
                row.put("updated_at", z.createdAt().toString());
                row.putArray("masters");
            }
        }
        ObjectNode out = json.createObjectNode();
        out.putObject("links").put("self", "/v2/zones");
        out.set("zones", list);
        out.putObject("metadata").put("total_count", list.size());
        return new GatewayApi.Response(200, out);
    }

    private GatewayApi.Response nameServers(String zoneId) {
        zones.zone(zoneId);
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("nameservers");
        int priority = 1;
        for (String host : DnsZones.NAME_SERVERS) {
            list.addObject().put("hostname", host).put("priority", priority++);
        }
        return new GatewayApi.Response(200, out);
    }

    private ObjectNode create(String zoneId, byte[] body) {
        JsonNode in = object(body);
        return recordSet(zones.create(zoneId, text(in, "name"), text(in, "type"), ttl(in), records(in),
                text(in, "description")));
    }

    private ObjectNode update(String zoneId, String id, byte[] body) {
        JsonNode in = object(body);
        return recordSet(zones.update(zoneId, id, ttl(in), in.has("records") ? records(in) : null,
                text(in, "description")));
    }

    private JsonNode object(byte[] body) {
        JsonNode in;
        try {
            in = json.readTree(body);
        } catch (JacksonException e) {
            throw new DnsError(400, "DNS.0002", "Invalid request.");
        }
        if (in == null || !in.isObject()) {
            throw new DnsError(400, "DNS.0002", "Invalid request.");
        }
        return in;
    }

    private static List<String> records(JsonNode in) {
        List<String> records = new ArrayList<>();
        in.path("records").forEach(r -> records.add(r.asString()));
        return records;
    }

    private static Integer ttl(JsonNode in) {
        return in.path("ttl").isNumber() ? in.path("ttl").asInt() : null;
    }

    private GatewayApi.Response listRecordSets(String zoneId, Map<String, String> query) {
        zones.zone(zoneId);
        ArrayNode list = json.createArrayNode();
        for (DnsZones.RecordSet r : zones.recordSets(zoneId, query.get("name"), query.get("type"))) {
            list.add(recordSet(r));
        }
        ObjectNode out = json.createObjectNode();
        out.putObject("links").put("self", "/v2/zones/" + zoneId + "/recordsets");
        out.set("recordsets", list);
        out.putObject("metadata").put("total_count", list.size());
        return new GatewayApi.Response(200, out);
    }

    private ObjectNode recordSet(DnsZones.RecordSet r) {
        ObjectNode row = json.createObjectNode();
        row.put("id", r.id());
        row.put("name", r.name());
        row.put("description", r.description());
        row.put("zone_id", r.zoneId());
        row.put("zone_name", r.zoneName());
        row.put("type", r.type());
        row.put("ttl", r.ttl());
        ArrayNode records = row.putArray("records");
        r.records().forEach(records::add);
        row.put("status", r.status());
        row.put("create_at", r.createdAt().toString());
        row.put("update_at", r.createdAt().toString());
        row.put("default", false);
        row.put("project_id", "e55c6f3dc4e34c9f86353b664ae0e70c");
        row.putObject("links").put("self", "/v2/zones/" + r.zoneId() + "/recordsets/" + r.id());
        return row;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asString();
    }
}
