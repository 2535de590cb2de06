package io.certform.workflow;

import io.certform.api.ApiException;
import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.api.GroupDetail;
import io.certform.diag.Diagnostics;
import io.certform.diag.SourceRange;
import io.certform.plan.Drift;
import io.certform.provider.ProviderException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the remote side of every recorded binding: one group GET per API group, and the certificate detail
 * only where the domain's ssl_id differs from the state's. The result is the state as the remote side has it,
 * and the drift between the two.
 */
final class Refresher {

    record Refreshed(State state, Map<String, Drift> drift) {
    }

    private Refresher() {
    }

    static Refreshed refresh(State prior, GroupDirectory groups, GatewayClient client, String stateName,
                             Diagnostics diagnostics) throws ProviderException {
        List<ResourceState> resources = new ArrayList<>();
        Map<String, Drift> drift = new LinkedHashMap<>();
        for (ResourceState r : prior.resources()) {
            GroupDetail group;
            try {
                group = groups.group(r.instanceId(), r.groupId());
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    drift.put(r.address(), new Drift(r.address(), Drift.Kind.DOMAIN_GONE, r, null));
                    continue;
                }
                diagnostics.error(SourceRange.ofFile(stateName), "cannot refresh " + r.address() + ": "
                        + e.getMessage(), groups.checkHint() + " Or plan with --refresh=false.");
                resources.add(r);
                continue;
            }
            Optional<GroupDetail.Domain> domain = group.domains().stream()
                    .filter(d -> d.id().equals(r.domainId())).findFirst();
            if (domain.isEmpty()) {
                drift.put(r.address(), new Drift(r.address(), Drift.Kind.DOMAIN_GONE, r, null));
                continue;
            }
            String remoteSslId = domain.get().sslId();
            if (Objects.equals(remoteSslId, r.sslId())) {
                resources.add(r);
                continue;
            }
            if (remoteSslId == null || remoteSslId.isEmpty()) {
                drift.put(r.address(), new Drift(r.address(), Drift.Kind.REMOVED, r, null));
                continue;
            }
            ResourceState found = found(r, remoteSslId, domain.get().sslName(), client, diagnostics, stateName);
            resources.add(found);
            drift.put(r.address(), new Drift(r.address(), Drift.Kind.CHANGED, r, found));
        }
        State refreshed = new State(prior.formatVersion(), prior.certformVersion(), prior.lineage(), prior.serial(),
                resources);
        return new Refreshed(refreshed, drift);
    }

    /**
     * What is bound now, as far as the API tells (it never returns the PEM): the same certificate bound again
     * keeps the recorded fingerprints; another one has none, so the plan binds the manifest's again.
     */
    private static ResourceState found(ResourceState r, String sslId, String sslName, GatewayClient client,
                                       Diagnostics diagnostics, String stateName) {
        String serial = null;
        String notAfter = null;
        try {
            CertificateDetail detail = client.showCertificate(
                    new DomainLocation(r.instanceId(), r.groupId(), r.domainId()), sslId);
            serial = detail.serialNumber();
            notAfter = detail.notAfter();
            sslName = detail.name() != null ? detail.name() : sslName;
        } catch (ApiException e) {
            diagnostics.warning(SourceRange.ofFile(stateName), "cannot read the certificate " + sslId + " now bound to "
                    + r.address() + ": " + e.getMessage(), "It is treated as a different certificate.");
        }
        boolean sameCertificate = serial != null && serial.equalsIgnoreCase(r.serialNumber());
        return new ResourceState(r.address(), r.certificate(), r.instanceId(), r.groupId(), r.domainId(), r.urlDomain(),
                sslId, sslName, r.type(), r.certificateInstanceId(), r.algorithmType(),
                sameCertificate ? r.certSha256() : null, sameCertificate ? r.chainSha256() : null,
                sameCertificate ? r.trustedRootCaSha256() : null, serial, notAfter, sameCertificate ? r.issuer() : null);
    }
}
