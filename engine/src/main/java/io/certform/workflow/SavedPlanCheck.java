package io.certform.workflow;

import io.certform.base.NamePattern;
import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import io.certform.plan.DesiredBinding;
import io.certform.plan.DesiredPattern;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.workflow.SavedPlan.Change;
import io.certform.workflow.SavedPlan.File;
import io.certform.workflow.SavedPlan.SavedCertificate;
import io.certform.workflow.SavedPlan.StaleException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a saved plan may still be applied: the manifest's hash, the state's lineage and serial, and each change's
 * certificate and declaration as the workspace has them now. The plan is rebuilt from the file with the
 * certificates and keys read now; any difference refuses it as stale, and nothing is sent.
 */
final class SavedPlanCheck {

    private SavedPlanCheck() {
    }

    /**
     * Checks a saved plan against the workspace and the current state, and rebuilds it with the certificates and
     * keys read now. Any difference makes the plan stale.
     */
    static Operations.Planned verify(File file, Workspace workspace) throws StaleException, StateException,
            IOException {
        String manifestSha = SavedPlan.sha256(Files.readAllBytes(workspace.manifest().file()));
        if (!manifestSha.equals(file.manifestSha256())) {
            throw new StaleException("Saved plan is stale: the manifest " + workspace.manifest().file()
                    + " changed since the plan was made. Run plan again; nothing was sent.");
        }
        State current = workspace.stateStore().read();
        if (current.serial() == 0 && file.serial() == 0 && current.resources().isEmpty()) {
            // Planned before any state existed, and still none: the state this apply creates takes the plan's lineage.
            current = new State(current.formatVersion(), current.certformVersion(), file.lineage(), 0,
                    current.gateways(), List.of(), null);
        }
        boolean plannedWithoutState = file.serial() == 0;
        if (!plannedWithoutState && !Objects.equals(current.lineage(), file.lineage())) {
            throw new StaleException("Saved plan is stale: it was made for state lineage " + file.lineage()
                    + ", but the state's lineage is " + current.lineage() + ". Run plan again; nothing was sent.");
        }
        if (current.serial() != file.serial()) {
            throw new StaleException("Saved plan is stale: the state changed since the plan was made (serial "
                    + file.serial() + " -> " + current.serial() + "). Run plan again; nothing was sent.");
        }
        List<ResourceChange> changes = new ArrayList<>();
        for (Change saved : file.changes()) {
            DesiredBinding after = null;
            if (saved.after() != null) {
                after = matching(saved, workspace);
            }
            changes.add(new ResourceChange(saved.liveAddress(), saved.action(), saved.reasons(), saved.before(),
                    after, saved.adopted()));
        }
        State prior = current.withResources(file.priorResources());
        Plan plan = new Plan(changes, current.lineage(), current.serial(), file.attachChunk());
        Diagnostics held = new Diagnostics();
        ExpiryHold.check(workspace.expiryHolds(), plan, held); // days passed since the plan was made
        for (Diagnostic error : held.all()) {
            if (error.severity() == Severity.ERROR) {
                throw new StaleException("Saved plan cannot be applied: " + error.summary() + ". " + error.detail()
                        + " Renew it and run plan again; nothing was sent.");
            }
        }
        return new Operations.Planned(plan, prior, current, Map.of(), held);
    }

    private static DesiredBinding matching(Change saved, Workspace workspace) throws StaleException {
        Optional<DesiredBinding> now = saved.after().certificateResource()
                ? sharedCertificate(saved.address(), workspace)
                : workspace.desired().stream().filter(d -> d.address().equals(saved.address())).findFirst();
        if (now.isEmpty() && saved.after() != null) {
            now = selectedByPattern(saved.after(), workspace);
        }
        if (now.isEmpty()) {
            throw new StaleException("Saved plan is stale: " + saved.address() + " is no longer in the manifest.");
        }
        DesiredBinding d = now.get();
        ResourceState planned = saved.after();
        SavedCertificate certificate = saved.afterCertificate();
        if (certificate == null || !Objects.equals(certificate.sha256(), d.certificate().sha256())
                || !Objects.equals(certificate.chainSha256(), d.certificate().chainSha256())
                || (!planned.shared() || planned.certificateResource())
                && !Objects.equals(planned.trustedRootCaSha256(), d.trustedRootCaSha256())) {
            throw new StaleException("Saved plan is stale: the certificate of " + saved.address()
                    + " changed since the plan was made (fingerprint "
                    + abbreviate(certificate == null ? null : certificate.sha256()) + " -> "
                    + abbreviate(d.certificate().sha256()) + "). Run plan again; nothing was sent.");
        }
        boolean attachment = planned.shared() && !planned.certificateResource();
        if ((!attachment && !Objects.equals(planned.sslName(), d.sslName())) || !planned.type().equals(d.type())
                || planned.shared() != d.shared() || !Objects.equals(planned.instanceId(), d.instanceId())
                || !Objects.equals(planned.groupId(), d.groupId())) {
            throw new StaleException("Saved plan is stale: the binding " + saved.address()
                    + " is declared differently now. Run plan again; nothing was sent.");
        }
        return planned.certificateResource() ? d : d.withDomainId(planned.domainId());
    }

    /** The shared certificate resource {@code key} as the manifest declares it now (a named domain or a pattern). */
    private static Optional<DesiredBinding> sharedCertificate(String key, Workspace workspace) {
        Optional<DesiredBinding> named = workspace.desired().stream()
                .filter(d -> d.shared() && d.certificateKey().equals(key)).findFirst()
                .map(DesiredBinding::asCertificateResource);
        if (named.isPresent()) {
            return named;
        }
        return workspace.patterns().stream().filter(p -> p.certificateKey().equals(key) && p.upload().shared())
                .findFirst().map(p -> new DesiredBinding(key, key, new DesiredBinding.Domain(null, null, null, null),
                        p.upload(), p.range()));
    }

    /** A binding the plan made from a {@code match:} pattern that still selects the same domain. */
    private static Optional<DesiredBinding> selectedByPattern(ResourceState planned, Workspace workspace) {
        for (DesiredPattern p : workspace.patterns()) {
            if (p.certificateKey().equals(planned.certificate()) && p.instanceId().equals(planned.instanceId())
                    && (p.groupId() == null || p.groupId().equals(planned.groupId()))
                    && NamePattern.parse(p.match()).pattern().matches(planned.urlDomain())
                    && planned.address().equals(p.certificateKey() + "[" + planned.urlDomain() + "]")) {
                return Optional.of(p.bind(planned.groupId(), planned.domainId(), planned.urlDomain()));
            }
        }
        return Optional.empty();
    }

    private static String abbreviate(String sha) {
        return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
    }
}
