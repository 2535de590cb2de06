package io.certform.cli.view;

import io.certform.plan.DesiredPattern;
import io.certform.plan.Drift;
import io.certform.plan.Pending;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What a human plan says before its actions: the domains its patterns selected, what changed outside certform
 * (drift), and the bindings that stay unknown until the next apply settles them.
 */
final class PlanNotes {

    /** Names listed per pattern in text; the JSON plan lists them all. */
    private static final int NAMES_SHOWN = 50;

    private final PrintWriter out;
    private final Style style;

    PlanNotes(PrintWriter out, Style style) {
        this.out = out;
        this.style = style;
    }

    /** The domains each pattern selected from the remote side; nothing without patterns. */
    void patterns(List<DesiredPattern.Selection> selections) {
        if (selections.isEmpty()) {
            return;
        }
        out.println();
        out.println(style.bold("Domain patterns") + " (selected from the remote side now):");
        for (DesiredPattern.Selection s : selections) {
            int n = s.selected().size();
            out.println("  " + s.certificateKey() + " match \"" + s.match() + "\" in " + s.scope() + ": "
                    + (n == 0 ? style.yellow("no domain") : n + (n == 1 ? " domain" : " domains")));
            s.selected().stream().limit(NAMES_SHOWN).forEach(name -> out.println("    " + name));
            if (n > NAMES_SHOWN) {
                out.println(style.dim("    ... and " + (n - NAMES_SHOWN) + " more (plan --json lists them all)"));
            }
        }
    }

    /** What differs between the state and the remote side; nothing without drift. */
    void drift(Map<String, Drift> drift) {
        if (!drift.isEmpty()) {
            out.println();
            out.println(style.bold("Note: Objects have changed outside of certform"));
            out.println();
            out.println("certform found these differences between the state and the remote side:");
            for (Drift d : drift.values()) {
                out.println();
                out.println("  " + style.bold("# " + d.key()) + " " + switch (d.kind()) {
                    case CHANGED -> "has changed: the domain now carries ssl_id \"" + d.found().sslId() + "\" (name \""
                            + d.found().sslName() + "\", serial \"" + d.found().serialNumber() + "\""
                            + (d.found().algorithmType() == null ? "" : ", " + d.found().algorithmType())
                            + (d.found().issuer() == null ? "" : ", issued by " + d.found().issuer())
                            + (d.found().san() == null ? "" : ", for " + String.join(", ", d.found().san()))
                            + "), not the recorded \""
                            + d.recorded().sslId() + "\"" + (d.differences().isEmpty() ? ""
                            : ": " + String.join("; ", d.differences()))
                            + (d.foreign() ? ". The certificate certform bound is no longer on the domain, and certform"
                            + " never removes one it cannot prove it bound" : "");
                    case REMOVED -> "has been removed: " + d.removal();
                    case DOMAIN_GONE -> "is gone: the domain " + d.recorded().domainId() + " is no longer in its API"
                            + " group " + d.recorded().groupId() + " (the group was read and does not list it)";
                });
            }
        }
    }

    /** What the next apply settles; nothing when nothing is pending. */
    void pending(Pending pending) {
        if (!pending.issuance().isEmpty()) {
            out.println();
            out.println(style.bold("Issued by ACME at the next apply (the plan never contacts the CA):"));
            out.println();
            for (Pending.Issuance i : pending.issuance()) {
                out.println("  " + (i.renew() ? style.yellow("~") : style.green("+")) + " certificate " + i.certificate()
                        + " " + i.action());
            }
        }
        if (pending.unknown()) {
            out.println();
            out.println(style.bold("Unknown until the next apply settles it:"));
            for (String sentence : pending.withIssuance(java.util.List.of()).sentences()) {
                out.println();
                out.println("  " + style.yellow("?") + " " + sentence);
            }
        }
    }
}
