package io.certform.workflow;

import io.certform.base.NamePattern;
import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.cert.CertificateProblem;
import io.certform.cert.DomainNames;
import io.certform.cert.LoadedCertificate;
import io.certform.manifest.BindingSpec;
import io.certform.manifest.CertificateSpec;
import io.certform.state.ResourceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One certificate of the manifest, as read and checked: what {@code certform certs} lists.
 *
 * @param bindings how many domains the manifest binds it to
 */
public record CertificateReport(CertificateSpec spec, LoadedCertificate loaded, CertificatePolicy policy,
                                int bindings) {

    /**
     * What can be wrong with a certificate, each one a metric and a status: the order is the order of gravity in
     * which {@link #status} picks one.
     */
    public enum Problem {
        /** It expired. */
        EXPIRED,
        /** The bundle or its key cannot be read or used (no key, unreadable PEM, chain out of order, weak key...). */
        INVALID,
        /** The private key is not the certificate's. */
        KEY_MISMATCH,
        /** A domain the manifest binds it to is not among its names (SANs). */
        DOMAIN_NOT_COVERED;

        /** As written in the status column, the JSON and the metrics' {@code problem} label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The domains the manifest binds this certificate to by name that its names do not cover. */
    public List<String> uncoveredDomains() {
        List<String> out = new ArrayList<>();
        if (loaded.info() == null) {
            return out;
        }
        for (BindingSpec b : spec.bindings()) {
            if (!b.isPattern() && b.domain() != null && !DomainNames.covered(loaded.info().dnsNames(), b.domain())
                    && !out.contains(b.domain())) {
                out.add(b.domain());
            }
        }
        return out;
    }

    /** Every problem the certificate has now; empty when it can be bound as it is. */
    public Set<Problem> problems(Instant now) {
        Set<Problem> out = EnumSet.noneOf(Problem.class);
        if (loaded.info() == null) {
            out.add(Problem.INVALID);
            return out;
        }
        if (loaded.info().notAfter().isBefore(now)) {
            out.add(Problem.EXPIRED);
        }
        for (CertificateProblem p : loaded.problems()) {
            if (p.error() && p.kind() == CertificateProblem.Kind.KEY_MISMATCH) {
                out.add(Problem.KEY_MISMATCH);
            } else if (p.error() && p.kind() == CertificateProblem.Kind.OTHER) {
                out.add(Problem.INVALID);
            }
        }
        if (spec.privateKey() == null || loaded.keyToSend() == null) {
            out.add(Problem.INVALID);
        }
        if (!uncoveredDomains().isEmpty()) {
            out.add(Problem.DOMAIN_NOT_COVERED);
        }
        return out;
    }

    /**
     * The gravest of its {@link #problems} ({@code expired}, {@code invalid}, {@code key_mismatch},
     * {@code domain_not_covered}), else {@code expiring} (fewer days left than expiry_warning_days or
     * min_days_remaining) or {@code ok}: never {@code ok} beside a problem.
     */
    public String status(Instant now) {
        Set<Problem> problems = problems(now);
        if (!problems.isEmpty()) {
            return problems.iterator().next().label();
        }
        long days = CertificateLoader.daysLeft(now, loaded.info().notAfter());
        return days < policy.expiryWarningDays() || days < policy.minDaysRemaining() ? "expiring" : "ok";
    }

    /**
     * Whether a binding recorded in the state is in sync with this certificate: it records this certificate (same
     * fingerprint and name, as the planner compares them before it plans no change), and the last refresh did not
     * find its domain carrying another one ({@code seen}). What {@code certform_binding_in_sync} reports.
     */
    public boolean inSync(ResourceState recorded) {
        CertificateInfo info = loaded.info();
        return info != null && recorded != null && recorded.seen() == null
                && info.sha256().equals(recorded.certSha256()) && spec.name().equals(recorded.sslName());
    }

    /**
     * As {@link #inSync(ResourceState)}, for a binding of either model: an attachment of a shared certificate records
     * no certificate of its own (its certificate resource, at the certificate's key, does), so it is in sync when it
     * is attached to that resource's certificate ({@code ssl_id}), the last refresh saw nothing else on its domain,
     * and the certificate resource is in sync.
     *
     * @param certificateResource the live certificate resource at the certificate's key, or null when none
     */
    public boolean inSync(ResourceState recorded, ResourceState certificateResource) {
        if (recorded == null || !recorded.shared() || recorded.certificateResource()) {
            return inSync(recorded);
        }
        return certificateResource != null && !certificateResource.deposed() && recorded.seen() == null
                && recorded.sslId() != null && recorded.sslId().equals(certificateResource.sslId())
                && inSync(certificateResource);
    }

    /**
     * Whether one of its {@code match:} entries selects the domain a recorded binding is on, by the name, instance and
     * group the state records: the binding is then the manifest's, not one the next apply removes. What {@code certs}
     * lists as a pattern's series and what {@code report} calls declared; a plan, which reads the remote side, keeps
     * the same bindings while their domains are there.
     */
    public boolean selects(ResourceState recorded) {
        String name = recorded.urlDomain();
        if (name == null || recorded.deposed() || !spec.key().equals(recorded.certificate())
                || !recorded.address().equals(spec.key() + "[" + name + "]")) {
            return false;
        }
        for (BindingSpec b : spec.bindings()) {
            if (b.isPattern() && recorded.instanceId().equals(b.instanceId())
                    && (b.groupId() == null || b.groupId().equals(recorded.groupId()))) {
                NamePattern pattern = NamePattern.parse(b.match()).pattern();
                if (pattern != null && pattern.matches(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
