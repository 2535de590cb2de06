package io.certform.workflow;

import io.certform.api.DomainLocation;
import io.certform.api.GroupDetail;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adopts into state the certificate already bound to a binding's domain, when the one identity rule
 * ({@link Identity}) says it is the manifest's certificate. A different certificate is reported, with how it
 * differs, and not adopted.
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

    /** The binding a {@code match:} pattern of the address's certificate selects now under that address, if any. */
    static Optional<DesiredBinding> selectedByPattern(Workspace workspace, RemoteAccess remote,
                                                              String address) throws ImportException,
            ProviderException {
        int open = address.indexOf('[');
        if (open < 0 || !address.endsWith("]")) {
            return Optional.empty();
        }
        String key = address.substring(0, open);
        List<io.certform.plan.DesiredPattern> patterns = workspace.patterns().stream()
                .filter(p -> p.certificateKey().equals(key)).toList();
        if (patterns.isEmpty()) {
            return Optional.empty();
        }
        try {
            return DomainResolver.resolve(List.of(), patterns, State.empty("import"), remote, new Diagnostics()).bindings()
                    .stream().filter(d -> d.address().equals(address)).findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted; nothing was imported.");
        }
    }

    /** Imports {@code address}; returns the new state. */
    public static ResourceState importBinding(Workspace workspace, ProviderSession session, String address,
                                              String version) throws ImportException, StateException,
            ProviderException {
        return importBinding(workspace, session, address, null, version);
    }

    /**
     * Imports {@code address}: a binding, or (for a certificate in the shared model) the certificate resource
     * {@code KEY} with every attachment the manifest declares, or one attachment {@code KEY[DOMAIN]}.
     *
     * @param certificateId the shared certificate's id to adopt, or null to look it up by the declared name
     */
    public static ResourceState importBinding(Workspace workspace, ProviderSession session, String address,
                                              String certificateId, String version) throws ImportException,
            StateException, ProviderException {
        boolean sharedKey = workspace.desired().stream().anyMatch(d -> d.shared() && d.certificateKey().equals(address))
                || workspace.patterns().stream().anyMatch(p -> p.certificateKey().equals(address)
                && p.upload().shared());
        if (sharedKey) {
            return SharedImport.importCertificate(workspace, new RemoteAccess(session), address, certificateId,
                    version);
        }
        if (certificateId != null) {
            throw new ImportException("--id names a shared certificate to adopt; " + address + " is not the address"
                    + " of a certificate with mode: shared.");
        }
        Optional<DesiredBinding> declared = workspace.desired().stream().filter(d -> d.address().equals(address))
                .findFirst();
        RemoteAccess remote = new RemoteAccess(session);
        if (declared.isEmpty()) {
            declared = selectedByPattern(workspace, remote, address);
        }
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
        if (declared.get().shared()) {
            return SharedImport.importAttachment(workspace, remote, declared.get(), state, version);
        }
        Diagnostics diagnostics = new Diagnostics();
        DesiredBinding binding;
        DomainFacts facts;
        try {
            List<DesiredBinding> resolved = DomainResolver.resolve(List.of(declared.get()), state, remote,
                    diagnostics);
            if (diagnostics.hasErrors()) {
                throw new ImportException(diagnostics.all().get(0).summary()
                        + (diagnostics.all().get(0).detail() == null ? "" : ". " + diagnostics.all().get(0).detail()));
            }
            binding = resolved.get(0);
            facts = remote.directory().inspect(new DomainLocation(binding.instanceId(), binding.groupId(),
                    binding.domainId()), Identity.Expected.of(binding.recorded()), null, false);
        } catch (RemoteReadException e) {
            throw new ImportException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted; nothing was imported.");
        }
        if (facts instanceof DomainFacts.Gone) {
            throw new ImportException("the domain " + binding.domainId() + " is not bound to group "
                    + binding.groupId() + " of instance " + binding.instanceId() + ".");
        }
        if (facts instanceof DomainFacts.Bare bare) {
            throw new ImportException("no certificate is bound to " + describe(binding, bare.domain())
                    + ": there is nothing to import. 'certform apply' will bind the manifest's certificate.");
        }
        if (facts instanceof DomainFacts.CarriesOther other) {
            throw new ImportException("the certificate bound to " + describe(binding, other.domain()) + " (ssl_id "
                    + other.primarySslId() + ") is not certificate '" + binding.certificateKey() + "' of the manifest: "
                    + String.join("; ", other.differences()) + ". Nothing was imported; 'certform apply' will replace"
                    + " it with the manifest's certificate.");
        }
        DomainFacts.Carries carries = (DomainFacts.Carries) facts;
        ResourceState adopted = binding.recorded().bound(carries.sslId(), carries.detail().name(),
                carries.domain().name());
        List<ResourceState> resources = new ArrayList<>(state.resources());
        resources.add(adopted);
        workspace.stateStore().write(state.next(resources, version));
        return adopted;
    }

    /**
     * What {@code import KEY} did for a certificate in the per-domain model: each declared domain of it, adopted,
     * already in the state, or not importable (with the reason).
     */
    public record CertificateImport(List<ResourceState> adopted, List<String> alreadyManaged,
                                    java.util.Map<String, String> notImported) {
    }

    /** Whether {@code address} is the key of a certificate in the per-domain model (not a binding's address). */
    public static boolean isPerDomainKey(Workspace workspace, String address) {
        return !address.contains("[") && workspace.manifest().certificates().stream()
                .anyMatch(c -> c.key().equals(address)) && workspace.desired().stream()
                .noneMatch(d -> d.shared() && d.certificateKey().equals(address)) && workspace.patterns().stream()
                .noneMatch(p -> p.certificateKey().equals(address) && p.upload().shared());
    }

    /**
     * Imports every declared domain of the per-domain certificate {@code key} that already carries the declared
     * certificate, one binding at a time (each recorded as it is adopted); a domain that does not is reported with
     * the reason, and the others are imported all the same.
     */
    public static CertificateImport importCertificate(Workspace workspace, ProviderSession session, String key,
                                                      String version) throws ImportException, StateException,
            ProviderException {
        java.util.Set<String> addresses = new java.util.LinkedHashSet<>();
        workspace.desired().stream().filter(d -> d.certificateKey().equals(key)).map(DesiredBinding::address)
                .forEach(addresses::add);
        List<io.certform.plan.DesiredPattern> patterns = workspace.patterns().stream()
                .filter(p -> p.certificateKey().equals(key)).toList();
        if (!patterns.isEmpty()) {
            try {
                DomainResolver.resolve(List.of(), patterns, State.empty("import"), new RemoteAccess(session),
                        new Diagnostics()).bindings().forEach(d -> addresses.add(d.address()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImportException("interrupted; nothing was imported.");
            }
        }
        if (addresses.isEmpty()) {
            throw new ImportException("certificate '" + key + "' declares no domain (its match: patterns select none"
                    + " now): there is nothing to import.");
        }
        List<ResourceState> adopted = new ArrayList<>();
        List<String> managed = new ArrayList<>();
        java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
        for (String address : addresses) {
            if (workspace.stateStore().read().resource(address).isPresent()) {
                managed.add(address);
                continue;
            }
            try {
                adopted.add(importBinding(workspace, session, address, null, version));
            } catch (ImportException e) {
                failed.put(address, e.getMessage());
            }
        }
        return new CertificateImport(adopted, managed, failed);
    }

    private static String describe(DesiredBinding binding, GroupDetail.Domain domain) {
        String name = domain != null ? domain.name() : binding.urlDomain() != null ? binding.urlDomain()
                : binding.domainId();
        return "the domain " + name + " (group " + binding.groupId() + ")";
    }
}
