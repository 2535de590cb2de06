package io.certform.workflow;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.GroupDetail;
import io.certform.plan.Drift;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.remote.SerialNumbers;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The refresh of a binding of the per-domain model: its domain's row is read (one group GET per API group) and the
 * certificate it carries judged with the one identity rule, its details read only when the recorded ssl_id is no
 * longer there or the client-certificate setting disagrees.
 */
final class DomainRefresh {

    private DomainRefresh() {
    }

    static Refresher.Judged judge(ResourceState r, RemoteDirectory remote, Duration settleWindow, Instant now)
            throws RemoteReadException, InterruptedException {
        DomainLocation at = new DomainLocation(r.instanceId(), r.groupId(), r.domainId());
        if (inPlace(remote, at, r)) {
            return Refresher.Judged.as(r, null);
        }
        DomainFacts facts = remote.inspect(at, Identity.Expected.of(r), null, false);
        if (notVisibleYet(facts, r, settleWindow, now)) {
            return Refresher.Judged.lagging(r, Refresher.Lag.BOUND);
        }
        if (facts instanceof DomainFacts.Gone) {
            // kept until the plan removes it, so that nothing leaves the state unseen
            return Refresher.Judged.as(r, new Drift(r.address(), Drift.Kind.DOMAIN_GONE, r, null, List.of()));
        }
        if (facts instanceof DomainFacts.Bare) {
            // kept until the plan binds it again (or forgets it)
            return Refresher.Judged.as(r, new Drift(r.address(), Drift.Kind.REMOVED, r, null, List.of()));
        }
        if (facts instanceof DomainFacts.Carries carries && r.trustedRootCaSha256() == null) {
            // the same certificate, bound again outside certform under a new ssl_id: adopt it quietly
            return Refresher.Judged.as(r.bound(carries.sslId(), carries.detail().name(), carries.domain().name()),
                    null);
        }
        if (facts instanceof DomainFacts.Carries carries) {
            // bound again outside certform with client-certificate checks on: which root CA it trusts cannot be
            // read back, so it is not taken as the manifest's
            ResourceState found = r.bound(carries.sslId(), carries.detail().name(), carries.domain().name())
                    .trusting(null).boundAt(null);
            return Refresher.Judged.as(Refresher.seeing(r, found, now), new Drift(r.address(), Drift.Kind.CHANGED,
                    r, found, List.of("bound again outside certform (ssl_id " + carries.sslId() + "): the trusted"
                    + " root CA it checks clients against cannot be read back, so it is bound again"),
                    foreign(r, carries.domain())));
        }
        DomainFacts.CarriesOther other = (DomainFacts.CarriesOther) facts;
        ResourceState found = found(r, other);
        return Refresher.Judged.as(Refresher.seeing(r, found, now), new Drift(r.address(), Drift.Kind.CHANGED, r,
                found, other.differences(), foreign(r, other.domain())));
    }

    /**
     * A read that does not show a binding certform saw bound within the settle window may be lagging behind the
     * write: the domain shows nothing, or a certificate the service made before certform's (an older one, as a
     * lagging read would). A certificate made after it was bound again by someone: that is drift at once.
     */
    private static boolean notVisibleYet(DomainFacts facts, ResourceState r, Duration settleWindow, Instant now) {
        if (!r.boundWithin(settleWindow, now)) {
            return false;
        }
        if (facts instanceof DomainFacts.Bare) {
            return true;
        }
        if (facts instanceof DomainFacts.CarriesOther other && other.primary() != null
                && other.primary().createTime() != null) {
            try {
                Instant made = Instant.parse(other.primary().createTime());
                Instant bound = Instant.parse(r.boundAt()).truncatedTo(ChronoUnit.SECONDS);
                return made.isBefore(bound);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * The recorded certificate is still on the domain under its recorded ssl_id, and the domain's row agrees on
     * the client-certificate setting: nothing more to read.
     */
    private static boolean inPlace(RemoteDirectory remote, DomainLocation at, ResourceState r)
            throws RemoteReadException, InterruptedException {
        var domain = remote.domain(at, false);
        if (domain.isEmpty() || r.sslId() == null || !domain.get().sslIds().contains(r.sslId())) {
            return false;
        }
        Boolean clientCa = domain.get().clientCaEnabled();
        return clientCa == null || clientCa == (r.trustedRootCaSha256() != null);
    }

    /** The certificate certform bound is no longer on the domain: what is there now is someone else's. */
    private static boolean foreign(ResourceState r, GroupDetail.Domain domain) {
        return r.sslId() == null || domain == null || !domain.sslIds().contains(r.sslId());
    }

    /**
     * What is bound now, as far as the API tells (it never returns the PEM): its ssl_id, name, serial, expiry,
     * type, algorithm and issuer. It has no fingerprints, so the plan binds the manifest's certificate again.
     */
    private static ResourceState found(ResourceState r, DomainFacts.CarriesOther other) {
        CertificateDetail d = other.primary();
        if (d == null) {
            return new ResourceState(r.address(), r.certificate(), r.instanceId(), r.groupId(), r.domainId(),
                    other.domain().name(), other.primarySslId(), other.domain().sslName(), null, null, null, null,
                    null, null, null, null, null);
        }
        String issuer = d.issuer().isEmpty() ? null : d.issuer().get(0);
        return new ResourceState(r.address(), r.certificate(), r.instanceId(), r.groupId(), r.domainId(),
                other.domain().name(), other.primarySslId(), d.name(), d.type(),
                "instance".equals(d.type()) ? r.certificateInstanceId() : null, d.algorithmType(), null, null,
                null, SerialNumbers.canonical(d.serialNumber()), d.notAfter(), issuer).covering(d.san());
    }
}
