package io.certform.plan;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A change of the manifest's certificate to one expiring before the one recorded: most often an older file named
 * by mistake (a renewal undone). It is planned as asked, and the plan warns. Drift repaired back to the manifest's
 * certificate is no downgrade: only a changed certificate ({@link Reason#CERTIFICATE_CHANGED}) is looked at. Pure.
 *
 * @param address the binding, or the shared certificate
 */
public record Downgrade(String address, String serialBefore, Instant notAfterBefore, String serialAfter,
                         Instant notAfterAfter) {

    /** Every change of {@code plan} whose new certificate expires before the one recorded. */
    public static List<Downgrade> of(Plan plan) {
        List<Downgrade> out = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (!c.action().changes() || c.before() == null || c.after() == null || c.before().notAfter() == null
                    || c.after().certificate() == null || c.after().certificate().notAfter() == null) {
                continue;
            }
            if (!c.reasons().contains(Reason.CERTIFICATE_CHANGED)) {
                continue; // the manifest names the same certificate: a repair of drift, a move, a rename
            }
            if (c.after().shared() && !c.after().certificateResource()) {
                continue; // an attachment: its certificate is the shared certificate's, warned about there
            }
            Instant before;
            try {
                before = Instant.parse(c.before().notAfter());
            } catch (DateTimeParseException e) {
                continue;
            }
            Instant after = c.after().certificate().notAfter();
            if (after.isBefore(before)) {
                out.add(new Downgrade(c.address(), c.before().serialNumber(), before,
                        c.after().certificate().serialNumber(), after));
            }
        }
        return out;
    }

    /** The warning's summary. */
    public String summary() {
        return address + ": the certificate to bind expires earlier (" + notAfterAfter + ", serial " + serialAfter
                + ") than the one bound now (" + notAfterBefore + ", serial " + serialBefore + ")";
    }
}
