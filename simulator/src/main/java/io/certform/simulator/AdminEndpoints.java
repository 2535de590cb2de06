package io.certform.simulator;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulator's own endpoints, beside the gateway's: {@code GET /_simulator/state} (every domain, managed
 * certificate and counter), {@code POST /_simulator/reset}, {@code POST /_simulator/tls-faults} and
 * {@code POST /_simulator/rebind} (a certificate put on a domain out of band), {@code POST /_simulator/dns-txt} (a
 * TXT value added or removed, as another DNS provider's hook would). Never faulted.
 */
final class AdminEndpoints {

    private final World world;
    private final GatewayApi api;
    private final IamEmulator iam;
    private final Traffic traffic;
    private final JsonMapper json;
    private final AuthOutage outage;
    /** The TLS port, once the simulator serves one. */
    private volatile TlsServer tls;

    AdminEndpoints(World world, GatewayApi api, IamEmulator iam, Traffic traffic, JsonMapper json,
                   AuthOutage outage) {
        this.outage = outage;
        this.world = world;
        this.api = api;
        this.iam = iam;
        this.traffic = traffic;
        this.json = json;
    }

    void tls(TlsServer server) {
        this.tls = server;
    }

    /** Answers one call to {@code /_simulator/...}; 404 for a path or method it does not know. */
    GatewayApi.Response call(String method, String path, byte[] body) {
        if (path.equals("/_simulator/state") && method.equals("GET")) {
            return new GatewayApi.Response(200, state());
        }
        if (path.equals("/_simulator/reset") && method.equals("POST")) {
            world.reset();
            traffic.reset();
            return new GatewayApi.Response(204, null);
        }
        if (path.equals("/_simulator/tls-faults") && method.equals("POST")) {
            return tlsFaults(body);
        }
        if (path.equals("/_simulator/auth-fail") && method.equals("POST")) {
            return authFail(body);
        }
        if (path.equals("/_simulator/dns-txt") && method.equals("POST")) {
            return dnsTxt(body);
        }
        if (path.equals("/_simulator/rebind") && method.equals("POST")) {
            GatewayApi.Response response = api.rebind(body);
            traffic.rebind();
            return response;
        }
        throw ApiError.notFoundPath();
    }

    /**
     * {@code POST /_simulator/dns-txt}: {@code {"action": "present"|"cleanup", "name", "value"}} adds or removes a
     * TXT value in the zone that holds the name, as another DNS provider would for a dns-01 hook; 204.
     */
    private GatewayApi.Response dnsTxt(byte[] body) {
        JsonNode request = GatewayApi.parseObject(json, body);
        String action = request.path("action").asString("");
        String name = request.path("name").asString("");
        String value = request.path("value").asString("");
        if (!action.equals("present") && !action.equals("cleanup")) {
            throw ApiError.invalidParameter("action");
        }
        if (name.isEmpty() || value.isEmpty()) {
            throw ApiError.invalidParameter(name.isEmpty() ? "name" : "value");
        }
        if (world.dns().zoneOf(name) == null) {
            throw new ApiError(400, "SIM.0002", "No zone of the world holds " + DnsZones.fqdn(name));
        }
        world.dns().txtValue(name, value, action.equals("present"));
        return new GatewayApi.Response(204, null);
    }

    /**
     * {@code POST /_simulator/tls-faults}: {@code serve_stale_rate} (0..1) and {@code serve_broken} (array of
     * names) replace the TLS faults from the next handshake on; a field left out becomes none.
     */
    private GatewayApi.Response tlsFaults(byte[] body) {
        TlsServer server = tls;
        if (server == null) {
            throw new ApiError(409, "SIM.0001", "The simulator serves no TLS port: start it with --tls-port");
        }
        JsonNode request = GatewayApi.parseObject(json, body);
        JsonNode rate = request.get("serve_stale_rate");
        if (rate != null && !rate.isNull() && !rate.isNumber()) {
            throw ApiError.invalidParameter("serve_stale_rate");
        }
        JsonNode broken = request.get("serve_broken");
        List<String> names = new ArrayList<>();
        if (broken != null && !broken.isNull()) {
            if (!broken.isArray()) {
                throw ApiError.invalidParameter("serve_broken");
            }
            for (JsonNode name : broken) {
                if (!name.isString()) {
                    throw ApiError.invalidParameter("serve_broken");
                }
                names.add(name.stringValue());
            }
        }
        try {
            server.faults(new TlsFaults(rate == null || rate.isNull() ? 0 : rate.doubleValue(), names));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "APIG.2012", e.getMessage());
        }
        ObjectNode out = json.createObjectNode();
        tlsState(out, server);
        return new GatewayApi.Response(200, out);
    }

    /**
     * {@code POST /_simulator/auth-fail}: exactly one of {@code calls} (the next N calls that authenticate answer
     * 401), {@code seconds} (every such call for that long, on the simulator's clock), {@code on} (true: until
     * turned off; false: ends the outage in force). Answers 200 with the outage as {@code /_simulator/state} shows it.
     */
    private GatewayApi.Response authFail(byte[] body) {
        JsonNode request = GatewayApi.parseObject(json, body);
        List<String> given = new ArrayList<>();
        request.propertyNames().forEach(given::add);
        if (given.size() != 1 || !List.of("calls", "seconds", "on").contains(given.get(0))) {
            throw new ApiError(400, "APIG.2012", "Invalid parameter value,parameterName:body. Give exactly one of"
                    + " calls (a number of calls), seconds (a duration) or on (true or false)");
        }
        JsonNode value = request.get(given.get(0));
        switch (given.get(0)) {
            case "calls" -> {
                if (!value.canConvertToExactIntegral() || value.longValue() < 0) {
                    throw ApiError.invalidParameter("calls");
                }
                outage.calls(value.longValue());
            }
            case "seconds" -> {
                if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1e9) {
                    throw ApiError.invalidParameter("seconds");
                }
                outage.window(java.time.Duration.ofNanos((long) (value.doubleValue() * 1e9)));
            }
            default -> {
                if (!value.isBoolean()) {
                    throw ApiError.invalidParameter("on");
                }
                if (value.booleanValue()) {
                    outage.untilRestored();
                } else {
                    outage.restore();
                }
            }
        }
        ObjectNode out = json.createObjectNode();
        outage.write(out);
        return new GatewayApi.Response(200, out);
    }

    private void tlsState(ObjectNode out, TlsServer server) {
        out.put("port", server.port());
        out.put("serve_stale_rate", server.faults().staleRate());
        ArrayNode broken = out.putArray("serve_broken");
        server.faults().brokenNames().forEach(broken::add);
        out.put("handshakes", server.handshakes());
        out.put("refused", server.refused());
    }

    private ObjectNode state() {
        ObjectNode out = json.createObjectNode();
        TlsServer server = tls;
        if (server != null) {
            tlsState(out.putObject("tls"), server);
        }
        if (world.projectId() != null) {
            out.put("project_id", world.projectId());
        }
        if (world.region() != null) {
            out.put("region", world.region());
        }
        outage.write(out.putObject("auth_fail"));
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
            ArrayNode attached = row.putArray("attached");
            d.attachedIds().forEach(attached::add);
        }
        ArrayNode managed = out.putArray("managed_certificates");
        world.persistence().forEachManaged((service, c, updateTime, attachedTo) -> {
            ObjectNode row = managed.addObject();
            row.put("service", service);
            row.put("id", c.sslId());
            row.put("name", c.sslName());
            row.put("type", c.type());
            row.put("algorithm_type", c.algorithmType());
            row.put("serial_number", c.serialNumber());
            row.put("not_after", c.notAfter());
            row.put("update_time", updateTime);
            row.put("attached_domains", attachedTo.size());
        });
        ObjectNode counters = out.putObject("counters");
        counters.put("certificates_created", world.certificatesCreated());
        counters.put("managed_certificates_created", world.managedCertificatesCreated());
        counters.put("managed_certificates_updated", world.managedCertificatesUpdated());
        counters.put("iam_tokens_issued", iam.issued());
        traffic.write(counters);
        return out;
    }
}
