package io.certform.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which call a request is, read once from its method and path: its kind (counted per kind in
 * {@code /_simulator/state}, and deciding which faults it can meet) and the ids its path names.
 *
 * @param kind       the call, or {@link Kind#NOT_FOUND} / {@link Kind#WRONG_METHOD}
 * @param project    the project id of the path
 * @param apigw      true under {@code /apigw/}, false under {@code /apic/}
 * @param instance   the instance id (calls under {@code instances/}), else null
 * @param group      the API group id, else null
 * @param domain     the domain id, else null
 * @param id         the certificate id the path names, else null
 */
record Route(Kind kind, String project, boolean apigw, String instance, String group, String domain, String id) {

    /** Which faults a call can meet. */
    enum Faulted {
        /** Delays, errors, throttles, stalls. */
        READ,
        /** All of the above, and drops, slow and late writes. */
        WRITE,
        /** Never faulted (binding a domain to a group, wrong methods, unknown paths). */
        NEVER
    }

    /** Every call of the API, named as {@code /_simulator/state} counts it. */
    enum Kind {
        GROUP_SHOW("group_show", Faulted.READ),
        GROUP_LIST("group_list", Faulted.READ),
        DOMAIN_BIND("domain_bind", Faulted.NEVER),
        DOMAIN_UNBIND("domain_unbind", Faulted.NEVER),
        DOMAIN_CERTIFICATE_ADD("domain_certificate_add", Faulted.WRITE),
        DOMAIN_CERTIFICATE_SHOW("domain_certificate_show", Faulted.READ),
        DOMAIN_CERTIFICATE_DELETE("domain_certificate_delete", Faulted.WRITE),
        DOMAIN_CERTIFICATES_ATTACH("domain_certificates_attach", Faulted.WRITE),
        DOMAIN_CERTIFICATES_DETACH("domain_certificates_detach", Faulted.WRITE),
        CERTIFICATE_CREATE("certificate_create", Faulted.WRITE),
        CERTIFICATE_SHOW("certificate_show", Faulted.READ),
        CERTIFICATE_UPDATE("certificate_update", Faulted.WRITE),
        CERTIFICATE_DELETE("certificate_delete", Faulted.WRITE),
        CERTIFICATE_LIST("certificate_list", Faulted.READ),
        CERTIFICATE_ATTACH("certificate_attach", Faulted.WRITE),
        CERTIFICATE_DETACH("certificate_detach", Faulted.WRITE),
        CERTIFICATE_ATTACHED_DOMAINS("certificate_attached_domains", Faulted.READ),
        WRONG_METHOD("wrong_method", Faulted.NEVER),
        NOT_FOUND("not_found", Faulted.NEVER);

        final String label;
        final Faulted faulted;

        Kind(String label, Faulted faulted) {
            this.label = label;
            this.faulted = faulted;
        }
    }

    private static final Pattern INSTANCE_PATH = Pattern.compile(
            "^/v2/([^/]+)/(apic|apigw)/instances/([^/]+)/api-groups/([^/]+)"
                    + "(?:/(domains)(?:/([^/]+)(?:/(certificate|certificates)(?:/([^/]+))?)?)?)?/?$");
    private static final Pattern GROUPS_PATH = Pattern.compile(
            "^/v2/([^/]+)/(apic|apigw)/instances/([^/]+)/api-groups/?$");
    private static final Pattern CERTIFICATES_PATH = Pattern.compile(
            "^/v2/([^/]+)/(apic|apigw)/certificates(?:/([^/]+)(?:/(domains/attach|domains/detach|attached-domains))?)?/?$");

    static Route of(String method, String path) {
        Matcher m = INSTANCE_PATH.matcher(path);
        if (m.matches()) {
            String project = m.group(1);
            boolean apigw = m.group(2).equals("apigw");
            String domain = m.group(6);
            String segment = m.group(7);
            String last = m.group(8);
            Kind kind;
            if (m.group(5) == null) {
                kind = only(method, "GET", Kind.GROUP_SHOW);
            } else if (domain == null) {
                kind = only(method, "POST", Kind.DOMAIN_BIND);
            } else if (segment == null) {
                kind = only(method, "DELETE", Kind.DOMAIN_UNBIND);
            } else if (segment.equals("certificate")) {
                kind = last == null ? only(method, "POST", Kind.DOMAIN_CERTIFICATE_ADD)
                        : method.equals("DELETE") ? Kind.DOMAIN_CERTIFICATE_DELETE
                        : only(method, "GET", Kind.DOMAIN_CERTIFICATE_SHOW);
            } else if ("attach".equals(last)) {
                kind = only(method, "POST", Kind.DOMAIN_CERTIFICATES_ATTACH);
            } else if ("detach".equals(last)) {
                kind = only(method, "POST", Kind.DOMAIN_CERTIFICATES_DETACH);
            } else {
                kind = Kind.NOT_FOUND;
            }
            return new Route(kind, project, apigw, m.group(3), m.group(4), domain,
                    "certificate".equals(segment) ? last : null);
        }
        m = GROUPS_PATH.matcher(path);
        if (m.matches()) {
            return new Route(only(method, "GET", Kind.GROUP_LIST), m.group(1), m.group(2).equals("apigw"),
                    m.group(3), null, null, null);
        }
        m = CERTIFICATES_PATH.matcher(path);
        if (m.matches()) {
            String id = m.group(3);
            String tail = m.group(4);
            Kind kind;
            if (id == null) {
                kind = method.equals("POST") ? Kind.CERTIFICATE_CREATE : only(method, "GET", Kind.CERTIFICATE_LIST);
            } else if (tail == null) {
                kind = switch (method) {
                    case "GET" -> Kind.CERTIFICATE_SHOW;
                    case "PUT" -> Kind.CERTIFICATE_UPDATE;
                    case "DELETE" -> Kind.CERTIFICATE_DELETE;
                    default -> Kind.WRONG_METHOD;
                };
            } else if (tail.equals("domains/attach")) {
                kind = only(method, "POST", Kind.CERTIFICATE_ATTACH);
            } else if (tail.equals("domains/detach")) {
                kind = only(method, "POST", Kind.CERTIFICATE_DETACH);
            } else {
                kind = only(method, "GET", Kind.CERTIFICATE_ATTACHED_DOMAINS);
            }
            return new Route(kind, m.group(1), m.group(2).equals("apigw"), null, null, null, id);
        }
        return new Route(Kind.NOT_FOUND, null, false, null, null, null, null);
    }

    private static Kind only(String method, String expected, Kind kind) {
        return method.equals(expected) ? kind : Kind.WRONG_METHOD;
    }

    /** {@code apic} or {@code apigw}. */
    String service() {
        return apigw ? "apigw" : "apic";
    }
}
