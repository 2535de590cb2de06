package io.certform.workflow;

import io.certform.api.ApiException;
import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.GroupDetail;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adopts into state the certificate already bound to a binding's domain, when it is the manifest's certificate
 * (same serial number and expiry). A different certificate is reported, not adopted.
 */
public final class Importer {

    /** Why an import cannot be done; nothing was written. */
    public static final class ImportException extends Exception {
        public ImportException(String message) {
            super(message);
        }
    }

    private Importer() {
    }

    /** Imports {@code address}; returns the new state. */
    public static ResourceState importBinding(Workspace workspace, ProviderSession session, String address,
                                              String version) throws ImportException, StateException,
            ProviderException {
        Optional<DesiredBinding> declared = workspace.desired().stream().filter(d -> d.address().equals(address))
                .findFirst();
        if (declared.isEmpty()) {
            throw new ImportException(address + " is not declared in the manifest. Import adopts a binding the"
                    + " manifest declares; the addresses are: " + String.join(", ",
                    workspace.desired().stream().map(DesiredBinding::address).toList()));
        }
        State state = workspace.stateStore().read();
        if (state.resource(address).isPresent()) {
            throw new ImportException(address + " is already managed by certform (it is in the state). To adopt it"
                    + " again, first run: certform state rm " + address);
        }
        Diagnostics diagnostics = new Diagnostics();
        GroupDirectory groups = new GroupDirectory(session);
        List<DesiredBinding> resolved = DomainResolver.resolve(List.of(declared.get()), state, groups, session,
                diagnostics);
        if (diagnostics.hasErrors()) {
            throw new ImportException(diagnostics.all().get(0).summary() + ". " + diagnostics.all().get(0).detail());
        }
        DesiredBinding binding = resolved.get(0);
        GroupDetail.Domain domain;
        CertificateDetail detail;
        try {
            GroupDetail group = groups.group(binding.instanceId(), binding.groupId());
            domain = group.domains().stream().filter(d -> d.id().equals(binding.domainId())).findFirst()
                    .orElseThrow(() -> new ImportException("the domain " + binding.domainId() + " is not bound to"
                            + " group " + binding.groupId() + " of instance " + binding.instanceId() + "."));
            if (domain.sslId() == null || domain.sslId().isEmpty()) {
                throw new ImportException("no certificate is bound to " + describe(binding, domain)
                        + ": there is nothing to import. 'certform apply' will bind the manifest's certificate.");
            }
            detail = session.client().showCertificate(new DomainLocation(binding.instanceId(), binding.groupId(),
                    binding.domainId()), domain.sslId());
        } catch (ApiException e) {
            throw new ImportException("cannot read " + describe(binding, null) + ": " + e.getMessage());
        }
        String wantSerial = binding.certificate().serialNumber();
        boolean sameSerial = detail.serialNumber() != null && detail.serialNumber().equalsIgnoreCase(wantSerial);
        boolean sameExpiry = sameInstant(detail.notAfter(), binding.certificate().notAfter());
        if (!sameSerial || !sameExpiry) {
            throw new ImportException("the certificate bound to " + describe(binding, domain) + " (ssl_id "
                    + domain.sslId() + ", serial " + detail.serialNumber() + ", not_after " + detail.notAfter()
                    + ") is not certificate '" + binding.certificateKey() + "' of the manifest (serial " + wantSerial
                    + ", not_after " + binding.certificate().notAfter() + "). Nothing was imported; 'certform apply'"
                    + " will replace it with the manifest's certificate.");
        }
        ResourceState adopted = binding.recorded().bound(domain.sslId(),
                detail.name() != null ? detail.name() : domain.sslName(), domain.name());
        List<ResourceState> resources = new ArrayList<>(state.resources());
        resources.add(adopted);
        workspace.stateStore().write(state.next(resources, version));
        return adopted;
    }

    private static String describe(DesiredBinding binding, GroupDetail.Domain domain) {
        String name = domain != null ? domain.name() : binding.urlDomain() != null ? binding.urlDomain()
                : binding.domainId();
        return "the domain " + name + " (group " + binding.groupId() + ")";
    }

    private static boolean sameInstant(String text, Instant instant) {
        try {
            return text != null && Instant.parse(text).getEpochSecond() == instant.getEpochSecond();
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
