package io.certform.workflow;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.plan.DesiredPattern;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.remote.Identity;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Adopts into state what the remote side already holds, when the one identity rule ({@link Identity}) says it is
 * the manifest's: which address is imported, that it is declared and not managed yet, how a failed read is said and
 * how the adoption is recorded are decided here once; what is read and adopted is the model's
 * ({@link DomainImport}: the certificate bound to a domain; {@link SharedImport}: a certificate resource and its
 * attachments). Something different is reported, with how it differs, and not adopted.
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

    /**
     * Imports {@code address}: a binding, or (for a certificate in the shared model) the certificate resource
     * {@code KEY} with every attachment the manifest declares, or one attachment {@code KEY[DOMAIN]}.
     *
     * @param certificateId the shared certificate's id to adopt, or null to look it up by the declared name
     */
    public static ResourceState importBinding(Workspace workspace, ProviderSession session, String address,
                                              String certificateId, String version) throws ImportException,
            StateException, ProviderException {
        RemoteAccess remote = new RemoteAccess(session);
        boolean sharedKey = workspace.desired().stream().anyMatch(d -> d.shared() && d.certificateKey().equals(address))
                || workspace.patterns().stream().anyMatch(p -> p.certificateKey().equals(address)
                && p.upload().shared());
        if (sharedKey) {
            State state = notManaged(workspace, address);
            List<ResourceState> adopted = reading(() -> SharedImport.certificate(workspace, remote, address,
                    certificateId, state));
            return record(workspace, state, adopted, version);
        }
        if (certificateId != null) {
            throw new ImportException("--id names a shared certificate to adopt; " + address + " is not the address"
                    + " of a certificate with mode: shared.");
        }
        Optional<DesiredBinding> declared = workspace.desired().stream().filter(d -> d.address().equals(address))
                .findFirst();
        if (declared.isEmpty()) {
            declared = patternBindings(workspace, remote, address.contains("[") && address.endsWith("]")
                    ? address.substring(0, address.indexOf('[')) : null).stream()
                    .filter(d -> d.address().equals(address)).findFirst();
        }
        if (declared.isEmpty()) {
            throw new ImportException(address + " is not declared in the manifest. Import adopts a binding the"
                    + " manifest declares; the addresses are: " + String.join(", ",
                    workspace.desired().stream().map(DesiredBinding::address).toList()));
        }
        DesiredBinding binding = declared.get();
        State state = notManaged(workspace, address);
        ResourceState adopted = reading(() -> binding.shared() ? SharedImport.attachment(remote, binding, state)
                : DomainImport.binding(remote, binding, state));
        return record(workspace, state, List.of(adopted), version);
    }

    /**
     * What {@code import KEY} did for a certificate in the per-domain model: each declared domain of it, adopted,
     * already in the state, or not importable (with the reason).
     */
    public record CertificateImport(List<ResourceState> adopted, List<String> alreadyManaged,
                                    Map<String, String> notImported) {
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
        Set<String> addresses = new LinkedHashSet<>();
        workspace.desired().stream().filter(d -> d.certificateKey().equals(key)).map(DesiredBinding::address)
                .forEach(addresses::add);
        patternBindings(workspace, new RemoteAccess(session), key).forEach(d -> addresses.add(d.address()));
        if (addresses.isEmpty()) {
            throw new ImportException("certificate '" + key + "' declares no domain (its match: patterns select none"
                    + " now): there is nothing to import.");
        }
        List<ResourceState> adopted = new ArrayList<>();
        List<String> managed = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
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

    /** The bindings the {@code match:} patterns of certificate {@code key} select now (none for a null key). */
    private static List<DesiredBinding> patternBindings(Workspace workspace, RemoteAccess remote, String key)
            throws ImportException, ProviderException {
        List<DesiredPattern> patterns = workspace.patterns().stream().filter(p -> p.certificateKey().equals(key))
                .toList();
        if (patterns.isEmpty()) {
            return List.of();
        }
        return reading(() -> DomainResolver.resolve(List.of(), patterns, State.empty("import"), remote,
                new Diagnostics()).bindings());
    }

    /** The state, read to import {@code address} into: refused when it holds {@code address} already. */
    private static State notManaged(Workspace workspace, String address) throws ImportException, StateException {
        State state = workspace.stateStore().read();
        if (state.resource(address).isPresent()) {
            throw new ImportException(address + " is already managed by certform (it is in the state). To adopt it"
                    + " again, first run: certform state rm " + address);
        }
        return state;
    }

    /** Writes {@code adopted} into the next state; returns the first, the object the user named. */
    private static ResourceState record(Workspace workspace, State state, List<ResourceState> adopted,
                                        String version) throws StateException {
        List<ResourceState> resources = new ArrayList<>(state.resources());
        resources.addAll(adopted);
        workspace.stateStore().write(state.next(resources, version));
        return adopted.get(0);
    }

    /**
     * {@code declared} with its domain looked up (by name, or checked by id).
     *
     * @throws ImportException the domain could not be found: the error the plan would show
     */
    static DesiredBinding resolved(DesiredBinding declared, State state, RemoteAccess remote)
            throws ImportException, ProviderException, InterruptedException {
        Diagnostics diagnostics = new Diagnostics();
        List<DesiredBinding> resolved = DomainResolver.resolve(List.of(declared), state, remote, diagnostics);
        if (diagnostics.hasErrors()) {
            Diagnostic first = diagnostics.all().get(0);
            throw new ImportException(first.summary() + (first.detail() == null ? "" : ". " + first.detail()));
        }
        return resolved.get(0);
    }

    /** What an import reads of the remote side before it writes anything. */
    @FunctionalInterface
    interface Read<T> {
        T read() throws ImportException, RemoteReadException, InterruptedException, ProviderException;
    }

    /** Runs {@code read}: a read the remote side refused, or an interruption, fails the import with nothing written. */
    static <T> T reading(Read<T> read) throws ImportException, ProviderException {
        try {
            return read.read();
        } catch (RemoteReadException e) {
            throw new ImportException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted; nothing was imported.");
        }
    }
}
