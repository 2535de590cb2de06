package io.certform.workflow;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate that has expired, or has fewer days left than its {@code min_days_remaining}. The rule applies to
 * what a run would send: a change that uploads, binds, attaches or rotates it is refused (an error, before any call);
 * a certificate that is only kept where it is already bound (no-op, a move in state, a removal, or a change left out
 * by {@code --target} or {@code --exclude}) is a loud warning, and blocks nothing else: refusing the plan would not
 * take it off its domains, only keep every other certificate (a renewal among them) from being bound.
 *
 * @param certificateKey the manifest's key of the certificate
 * @param problem        the error, as the loader reported it, at {@code cert_content}
 * @param expired        whether it has expired already (else it expires within {@code min_days_remaining})
 */
public record ExpiryHold(String certificateKey, Diagnostic problem, boolean expired) {

    public ExpiryHold(String certificateKey, Diagnostic problem) {
        this(certificateKey, problem, false);
    }

    /** Whether the change sends its certificate to the gateway. Every other action leaves the remote side alone. */
    static boolean sends(ResourceChange change) {
        return change.after() != null && switch (change.action()) {
            case CREATE, UPDATE, REPLACE, CREATE_THEN_DELETE -> true;
            default -> false;
        };
    }

    /**
     * Adds, for each held certificate, an error naming the changes that would send it, or a warning when none would.
     */
    public static void check(List<ExpiryHold> holds, Plan plan, Diagnostics diagnostics) {
        if (holds.isEmpty()) {
            return;
        }
        Map<String, List<String>> sending = new LinkedHashMap<>();
        for (ResourceChange change : plan.changes()) {
            if (sends(change)) {
                sending.computeIfAbsent(change.after().certificateKey(), k -> new ArrayList<>())
                        .add(change.address() + " (" + change.action().wireName() + ")");
            }
        }
        for (ExpiryHold hold : holds) {
            List<String> changes = sending.get(hold.certificateKey());
            if (changes != null) {
                diagnostics.error(hold.problem().range(), hold.problem().summary(), hold.problem().detail()
                        + " This run would send it: " + String.join(", ", changes) + ". The other changes of the plan"
                        + " can be made without it: plan with --exclude " + hold.certificateKey() + ".");
            } else {
                diagnostics.warning(hold.problem().range(), hold.problem().summary() + "; it stays bound as it is,"
                        + " and this run sends nothing of it", hold.problem().detail() + " Until it is renewed, its"
                        + " domains serve a certificate that " + (hold.expired() ? "has expired" : "is about to expire")
                        + "; certform binds it nowhere new.");
            }
        }
    }

    /**
     * For {@code validate}, which knows no plan: whether it would be sent depends on the state and the gateway. An
     * expired certificate stays an error there: whatever a plan would do, the manifest names one that no client
     * accepts.
     */
    public static void note(List<ExpiryHold> holds, Diagnostics diagnostics) {
        for (ExpiryHold hold : holds) {
            if (hold.expired()) {
                diagnostics.add(hold.problem());
                continue;
            }
            diagnostics.warning(hold.problem().range(), hold.problem().summary(), hold.problem().detail()
                    + " plan and apply refuse to upload or bind it (an error); where it is already bound and"
                    + " unchanged, it stays, with a warning.");
        }
    }
}
