package io.certform.plan;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A change that puts on a domain a certificate expiring before the one it carries: most often an older file
 * named by mistake (a rollback of a renewal). It is planned as asked, and the plan warns. Pure.
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
