package io.certform.workflow;

import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import io.certform.plan.Drift;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.remote.SerialNumbers;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the remote side of every recorded binding through the {@link RemoteDirectory} (one group GET per API
 * group, certificate details only where needed) and judges each with the one identity rule. The result is the
 * state as the remote side has it, and the drift between the two. A binding whose group cannot be read is an
 * error and stays as recorded: only "the group was read and the domain is not in it" means a domain is gone.
 */
final class Refresher {

    /**
     * @param state the state as the remote side has it; a binding whose domain or certificate is gone is still in
     *              it (with its drift), so that the plan shows its removal rather than the state losing it unseen
     */
    record Refreshed(State state, Map<String, Drift> drift) {

        /** The state to record after a refresh alone: bindings whose domain or certificate is gone are dropped. */
        State settled() {
            List<ResourceState> kept = state.resources().stream().filter(r -> {
                Drift d = drift.get(r.key());
                return d == null || d.kind() == Drift.Kind.CHANGED;
            }).toList();
            return state.withResources(kept);
        }
    }

    private Refresher() {
    }

    /**
     * @param settleWindow a binding seen bound less than this before {@code now} may not show in a read yet (the
     *                     gateway's reads can lag its writes): not seeing it then is not drift
     */
    static Refreshed refresh(State prior, RemoteDirectory remote, String stateName, Diagnostics diagnostics,
                             Duration settleWindow, Instant now) throws InterruptedException {
        List<ResourceState> resources = new ArrayList<>();
        Map<String, Drift> drift = new LinkedHashMap<>();
        ReadFailures unread = new ReadFailures();
        for (ResourceState r : prior.resources()) {
            if (r.shared()) {
                try {
                    Drift d = r.certificateResource() ? SharedRefresh.certificate(r, remote)
                            : SharedRefresh.attachment(r, remote);
                    if (d != null && d.kind() != Drift.Kind.CHANGED && r.boundWithin(settleWindow, now)) {
                        diagnostics.warning(SourceRange.ofFile(stateName), r.address() + ": made at " + r.boundAt()
                                        + ", and the gateway does not show it yet",
                                "Its reads can lag its writes: this is not taken as drift until the settle window ("
                                        + settleWindow.toSeconds() + "s) has passed.");
                        d = null;
                    }
                    if (d != null && d.kind() == Drift.Kind.CHANGED && r.certificateResource()) {
                        // what certform made or adopted stays the record; what the gateway holds instead beside it
                        resources.add(r.seeing(seen(r, d.found(), now)));
                    } else {
                        resources.add(d == null && r.seen() != null ? r.seeing(null) : r);
                    }
                    if (d != null) {
                        drift.put(r.key(), d);
                    }
                } catch (RemoteReadException e) {
                    unread.add(r.address(), r.instanceId(), SourceRange.ofFile(stateName), "cannot refresh "
                            + r.address() + ": " + e.getMessage(), e);
                    resources.add(r);
                }
                continue;
            }
            DomainLocation at = new DomainLocation(r.instanceId(), r.groupId(), r.domainId());
            DomainFacts facts;
            try {
                facts = inPlace(remote, at, r) ? null : remote.inspect(at, Identity.Expected.of(r), null, false);
            } catch (RemoteReadException e) {
                unread.add(r.address(), r.instanceId(), SourceRange.ofFile(stateName), "cannot refresh "
                        + r.address() + ": " + e.getMessage(), e);
                resources.add(r);
                continue;
            }
            if (facts == null) {
                resources.add(r);
                continue;
            }
            if (notVisibleYet(facts, r, settleWindow, now)) {
                diagnostics.warning(SourceRange.ofFile(stateName), r.address() + ": bound at " + r.boundAt()
                                + ", and the gateway does not show it yet",
                        "Its reads can lag its writes: this is not taken as drift until the settle window ("
                                + settleWindow.toSeconds() + "s) has passed since it was bound.");
                resources.add(r);
                continue;
            }
            if (facts instanceof DomainFacts.Gone) {
                resources.add(r); // kept until the plan removes it, so that nothing leaves the state unseen
                drift.put(r.key(), new Drift(r.address(), Drift.Kind.DOMAIN_GONE, r, null, List.of()));
            } else if (facts instanceof DomainFacts.Bare) {
                resources.add(r); // kept until the plan binds it again (or forgets it)
                drift.put(r.key(), new Drift(r.address(), Drift.Kind.REMOVED, r, null, List.of()));
            } else if (facts instanceof DomainFacts.Carries carries && r.trustedRootCaSha256() == null) {
                // the same certificate, bound again outside certform under a new ssl_id: adopt it quietly
                resources.add(r.bound(carries.sslId(), carries.detail().name(), carries.domain().name()));
            } else if (facts instanceof DomainFacts.Carries carries) {
                // bound again outside certform with client-certificate checks on: which root CA it trusts cannot be
                // read back, so it is not taken as the manifest's
                ResourceState found = r.bound(carries.sslId(), carries.detail().name(), carries.domain().name())
                        .trusting(null).boundAt(null);
                resources.add(r.seeing(seen(r, found, now)));
                drift.put(r.key(), new Drift(r.address(), Drift.Kind.CHANGED, r, found, List.of(
                        "bound again outside certform (ssl_id " + carries.sslId() + "): the trusted root CA it"
                                + " checks clients against cannot be read back, so it is bound again"),
                        foreign(r, carries.domain())));
            } else {
                DomainFacts.CarriesOther other = (DomainFacts.CarriesOther) facts;
                ResourceState found = found(r, other);
                // what certform bound stays the record (its ssl_id is the only one it may ever remove); what the
                // domain carries instead is recorded beside it
                resources.add(r.seeing(seen(r, found, now)));
                drift.put(r.key(), new Drift(r.address(), Drift.Kind.CHANGED, r, found, other.differences(),
                        foreign(r, other.domain())));
            }
        }
        unread.report(diagnostics, "refresh",
                "Or plan with --refresh=false to plan against the state as recorded.");
        State refreshed = prior.withResources(resources);
        return new Refreshed(refreshed, drift);
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
                Instant bound = Instant.parse(r.boundAt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                return made.isBefore(bound);
            } catch (java.time.format.DateTimeParseException e) {
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
    private static boolean foreign(ResourceState r, io.certform.api.GroupDetail.Domain domain) {
        return r.sslId() == null || domain == null || !domain.sslIds().contains(r.sslId());
    }

    /** What the domain carries instead of certform's certificate; first seen when the record says so already. */
    private static ResourceState.Seen seen(ResourceState r, ResourceState found, Instant now) {
        if (r.seen() != null && java.util.Objects.equals(r.seen().sslId(), found.sslId())) {
            return r.seen();
        }
        return new ResourceState.Seen(found.sslId(), found.sslName(), found.serialNumber(), found.notAfter(),
                now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
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
