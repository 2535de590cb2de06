package io.certform.plan;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code -replace=ADDR}, as Terraform's: a binding the plan would leave alone (or only update) is re-uploaded and
 * re-bound, and the plan shows it as a replacement. A per-domain binding ({@code KEY[DOMAIN]}) is unbound and bound
 * again; a shared certificate ({@code KEY}) is made anew, every domain attached to the new one before the old one is
 * detached and deleted. Pure: the plan in, the plan out.
 */
public final class Replacements {

    private Replacements() {
    }

    /** What is wrong with {@code addresses} for {@code plan}, one message each; empty when every one can be replaced. */
    public static List<String> problems(Plan plan, List<String> addresses) {
        List<String> problems = new ArrayList<>();
        for (String address : addresses) {
            ResourceChange c = find(plan, address);
            if (c == null) {
                problems.add("-replace " + address + ": no binding or shared certificate of the plan has this address;"
                        + " 'certform state list' lists them (a per-domain certificate is replaced binding by binding,"
                        + " KEY[DOMAIN])");
            } else if (c.after() == null) {
                problems.add("-replace " + address + ": it is to be removed, so there is nothing to replace");
            } else if (c.after().shared() && !c.after().certificateResource()) {
                problems.add("-replace " + address + ": an attachment of the shared certificate '"
                        + c.after().certificateKey() + "' holds no certificate of its own; replace the certificate"
                        + " with -replace " + c.after().certificateKey() + " (every domain is attached to the new one"
                        + " first)");
            }
        }
        return problems;
    }

    /** The plan with {@code addresses} replaced; call it once {@link #problems} found none. */
    public static Plan force(Plan plan, List<String> addresses) {
        if (addresses.isEmpty()) {
            return plan;
        }
        Set<String> certificates = new HashSet<>();
        List<ResourceChange> out = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            boolean asked = !c.deposed() && addresses.stream().anyMatch(a -> a.equalsIgnoreCase(c.address()));
            if (!asked || c.after() == null || c.before() == null) {
                out.add(c); // not asked for, removed, or made anyway
                continue;
            }
            EnumSet<Reason> reasons = EnumSet.of(Reason.REPLACE_REQUESTED);
            reasons.addAll(c.reasons());
            if (c.after().certificateResource()) {
                certificates.add(c.address());
                out.add(c.action().replaces() ? c : new ResourceChange(c.address(), Action.CREATE_THEN_DELETE,
                        reasons, c.before(), c.after()));
            } else if (c.action() == Action.NO_OP || c.action() == Action.UPDATE || c.action() == Action.MOVE) {
                out.add(new ResourceChange(c.address(), Action.REPLACE, reasons, c.before(), c.after()));
            } else {
                out.add(c);
            }
        }
        for (int i = 0; i < out.size(); i++) {
            ResourceChange c = out.get(i);
            if (c.action() == Action.NO_OP && c.after() != null && c.after().shared()
                    && !c.after().certificateResource() && certificates.contains(c.after().certificateAddress())) {
                out.set(i, new ResourceChange(c.address(), Action.CREATE_THEN_DELETE,
                        java.util.Set.of(Reason.CERTIFICATE_REPLACED), c.before(), c.after()));
            }
        }
        return plan.with(out);
    }

    private static ResourceChange find(Plan plan, String address) {
        return plan.changes().stream().filter(c -> !c.deposed() && c.address().equalsIgnoreCase(address)).findFirst()
                .orElse(null);
    }
}
