package io.certform.api;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's answers read into records: certificates, groups and their domains. Every text is trimmed and made
 * printable, since what the gateway answers is shown to people and written to logs.
 */
final class GatewayAnswers {

    private GatewayAnswers() {
    }

    static CertificateDetail detail(JsonNode a) {
        return new CertificateDetail(text(a, "id"), text(a, "name"), text(a, "type"), text(a, "common_name"),
                strings(a, "san"), text(a, "not_before"), text(a, "not_after"), text(a, "serial_number"),
                text(a, "algorithm_type"), strings(a, "issuer"), bool(a, "is_has_trusted_root_ca"),
                text(a, "create_time"));
    }

    static GroupDetail group(JsonNode a) {
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
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // what the gateway answers is shown to people and written to logs: never a control sequence
        return io.certform.base.Printable.of(value.asString().trim());
    }
}
