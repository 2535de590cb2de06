package io.certform.cli.view;

import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change's attributes as the rows of its block, {@code marker name = value}: what a binding, an attachment or a
 * shared certificate resource was and becomes, unchanged rows without a marker, changed ones {@code ~ old -> new}.
 */
final class PlanRows {
    static final String UNKNOWN = "(known after apply)";
    static final String SENSITIVE = "(sensitive value)";

    /**
     * The plan's shared certificate resources as recorded, by certificate key: an attachment records no certificate
     * of its own, so a binding leaving the shared model shows the certificate it had from its resource.
     */
    private final Map<String, ResourceState> sharedCertificates;

    PlanRows(Map<String, ResourceState> sharedCertificates) {
        this.sharedCertificates = sharedCertificates;
    }

    record Row(String marker, String name, String value) {
    }

    /** A shared certificate resource, or the attachment of a domain to one, or a domain's own binding. */
    static String noun(ResourceChange c) {
        if (certificateResource(c)) {
            return "certificate";
        }
        return attachment(c) ? "attachment" : "binding";
    }

    static boolean certificateResource(ResourceChange c) {
        return (c.after() != null && c.after().certificateResource())
                || (c.before() != null && c.before().certificateResource());
    }

    /** Only an attachment on both sides: its certificate's content is shown on the certificate resource. */
    private static boolean attachment(ResourceChange c) {
        return (c.after() == null || c.after().shared()) && (c.before() == null || c.before().shared())
                && !certificateResource(c);
    }

    private static final java.util.Set<String> DOMAIN_ROWS = java.util.Set.of("instance_id", "group_id", "domain_id",
            "url_domain");

    List<Row> rows(ResourceChange c, Instant now) {
        List<Row> rows = bindingRows(c, now);
        if (certificateResource(c)) {
            rows.removeIf(r -> DOMAIN_ROWS.contains(r.name()));
            rows.add(0, new Row(" ", "model", q("shared")));
        } else if (attachment(c)) {
            rows.removeIf(r -> !DOMAIN_ROWS.contains(r.name()) && !r.name().equals("ssl_id"));
            rows.add(new Row(" ", "certificate", q((c.after() != null ? c.after().certificateKey()
                    : c.before().certificate()) + " (shared)")));
        } else if (c.before() != null && c.after() != null && c.before().shared() != c.after().shared()) {
            rows.add(0, new Row("~", "model", q(c.before().shared() ? "shared" : "per-domain") + " -> "
                    + q(c.after().shared() ? "shared" : "per-domain")));
        }
        return rows;
    }

    /** The recorded shared certificate resources of the changes, by certificate key. */
    static Map<String, ResourceState> sharedCertificates(List<ResourceChange> changes) {
        Map<String, ResourceState> out = new java.util.HashMap<>();
        for (ResourceChange c : changes) {
            if (c.before() != null && c.before().certificateResource() && !c.before().deposed()) {
                out.put(c.before().certificate(), c.before());
            }
        }
        return out;
    }

    private List<Row> bindingRows(ResourceChange c, Instant now) {
        ResourceState b = c.before();
        // the certificate the binding had: an attachment's is its shared certificate resource's
        ResourceState had = b != null && b.shared() && !b.certificateResource()
                ? sharedCertificates.getOrDefault(b.certificate(), b) : b;
        DesiredBinding a = c.after();
        List<Row> rows = new ArrayList<>();
        switch (c.action()) {
            case CREATE -> {
                rows.add(new Row("+", "instance_id", q(a.instanceId())));
                rows.add(new Row("+", "group_id", q(a.groupId())));
                rows.add(new Row("+", "domain_id", a.domainId() == null ? UNKNOWN : q(a.domainId())));
                rows.add(new Row("+", "url_domain", a.urlDomain() == null ? UNKNOWN : q(a.urlDomain())));
                rows.add(new Row("+", "ssl_name", q(a.sslName())));
                rows.add(new Row("+", "type", q(a.type())));
                afterCertificate(rows, "+", a, now);
                rows.add(new Row("+", "private_key", SENSITIVE));
                rows.add(new Row("+", "ssl_id", UNKNOWN));
            }
            case ADOPT -> {
                ResourceState found = c.adopted();
                if (found.certificateResource()) {
                    recordedCertificate(rows, " ", found);
                    rows.add(new Row("=", "ssl_id", q(found.sslId())));
                    break;
                }
                recordedDomain(rows, " ", found);
                if (found.shared()) {
                    rows.add(new Row("=", "ssl_id", q(found.sslId())));
                    break;
                }
                recordedCertificate(rows, " ", found);
                rows.add(new Row("=", "ssl_id", q(found.sslId()) + (b == null || b.sslId() == null ? ""
                        : " (recorded before: " + q(b.sslId()) + ")")));
            }
            case DELETE -> {
                recordedDomain(rows, "-", b);
                recordedCertificate(rows, "-", b);
                rows.add(new Row("-", "ssl_id", q(b.sslId())));
            }
            default -> {
                change(rows, "instance_id", b.instanceId(), a.instanceId());
                change(rows, "group_id", b.groupId(), a.groupId());
                change(rows, "domain_id", b.domainId(), a.domainId());
                rows.add(new Row(" ", "url_domain", q(b.urlDomain())));
                change(rows, "ssl_name", had.sslName(), a.sslName());
                change(rows, "type", had.type(), a.type());
                change(rows, "algorithm_type", had.algorithmType(), a.certificate().algorithmType());
                change(rows, "issuer", had.issuer(), a.certificate().issuer());
                change(rows, "serial_number", had.serialNumber(), a.certificate().serialNumber());
                String notAfter = a.certificate().notAfter().toString();
                rows.add(Objects.equals(had.notAfter(), notAfter)
                        ? new Row(" ", "not_after", q(notAfter) + daysLeft(a, now))
                        : new Row("~", "not_after", q(had.notAfter()) + " -> " + q(notAfter) + daysLeft(a, now)));
                change(rows, "cert_sha256", had.certSha256(), a.certificate().sha256());
                if (c.reasons().contains(Reason.CHAIN_CHANGED)) {
                    change(rows, "chain_sha256", had.chainSha256(), a.certificate().chainSha256());
                }
                change(rows, "trusted_root_ca_sha256", had.trustedRootCaSha256(), a.trustedRootCaSha256());
                if (keyMayChange(had, a)) {
                    rows.add(new Row("~", "private_key", SENSITIVE));
                }
                // renewed in place (one PUT keeps the id), or a move that only renames the state's record: the
                // domain keeps its certificate, and its ssl_id
                rows.add((certificateResource(c) && c.action() == Action.UPDATE) || c.action() == Action.MOVE
                        ? new Row(" ", "ssl_id", q(b.sslId()))
                        : new Row("~", "ssl_id", q(b.sslId()) + " -> " + UNKNOWN));
            }
        }
        return rows;
    }

    /** The domain of a recorded binding: its ids and name. */
    private static void recordedDomain(List<Row> rows, String marker, ResourceState r) {
        rows.add(new Row(marker, "instance_id", q(r.instanceId())));
        rows.add(new Row(marker, "group_id", q(r.groupId())));
        rows.add(new Row(marker, "domain_id", q(r.domainId())));
        rows.add(new Row(marker, "url_domain", q(r.urlDomain())));
    }

    /** The certificate of a recorded binding or certificate resource: its name, serial and expiry. */
    private static void recordedCertificate(List<Row> rows, String marker, ResourceState r) {
        rows.add(new Row(marker, "ssl_name", q(r.sslName())));
        rows.add(new Row(marker, "serial_number", q(r.serialNumber())));
        rows.add(new Row(marker, "not_after", q(r.notAfter())));
    }

    /**
     * Whether the update brings a new private key: only a new certificate can, and a renewal on the same key does
     * not (the public keys' fingerprints match). Without a recorded fingerprint, a new certificate may.
     */
    private static boolean keyMayChange(ResourceState before, DesiredBinding after) {
        if (Objects.equals(before.certSha256(), after.certificate().sha256())) {
            return false;
        }
        return before.publicKeySha256() == null
                || !before.publicKeySha256().equals(after.certificate().publicKeySha256());
    }

    static void afterCertificate(List<Row> rows, String marker, DesiredBinding a, Instant now) {
        rows.add(new Row(marker, "algorithm_type", q(a.certificate().algorithmType())));
        rows.add(new Row(marker, "subject", q(a.certificate().subject())));
        rows.add(new Row(marker, "issuer", q(a.certificate().issuer())));
        rows.add(new Row(marker, "serial_number", q(a.certificate().serialNumber())));
        rows.add(new Row(marker, "not_after", q(a.certificate().notAfter().toString()) + daysLeft(a, now)));
        rows.add(new Row(marker, "cert_sha256", q(a.certificate().sha256())));
    }

    /** A row for an attribute: unchanged rows have no marker, changed ones {@code ~ old -> new}. */
    private static void change(List<Row> rows, String name, String before, String after) {
        if (before == null && after == null) {
            return;
        }
        if (Objects.equals(before, after)) {
            rows.add(new Row(" ", name, q(after)));
        } else {
            rows.add(new Row("~", name, q(before) + " -> " + q(after)));
        }
    }

    private static String daysLeft(DesiredBinding a, Instant now) {
        long days = Duration.between(now, a.certificate().notAfter()).toDays();
        return " (" + days + " days left)";
    }

    static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}
