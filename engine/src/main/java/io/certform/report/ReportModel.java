package io.certform.report;

import java.time.Instant;
import java.util.List;

/**
 * What {@code certform report} shows: the fleet as the manifest, the state and the certificate files describe it.
 *
 * @param generatedAt  when the report was made (the page's "today")
 * @param version      the certform version that made it
 * @param manifest     the manifest's name as given
 * @param refreshed    whether the remote side was read first ({@code --refresh})
 * @param state        the state it read, or null when there is none yet
 * @param certificates one per certificate of the manifest, soonest expiry first
 * @param bindings     one per binding: recorded in the state, or declared and not applied yet
 * @param rollouts     the last rollouts, newest first (an interrupted one, recorded in the state, first)
 * @param notes        what the reader should know about what is missing (no state yet, a log that could not be read)
 */
public record ReportModel(Instant generatedAt, String version, String manifest, boolean refreshed, StateSummary state,
                          List<CertificateRow> certificates, List<BindingRow> bindings, List<Rollout> rollouts,
                          List<String> notes) {

    public ReportModel {
        certificates = List.copyOf(certificates);
        bindings = List.copyOf(bindings);
        rollouts = List.copyOf(rollouts);
        notes = List.copyOf(notes);
    }

    /**
     * The state the report read.
     *
     * @param where     where it is ({@code StateStore.describe()})
     * @param writtenAt when this serial was written, or null when the store does not say
     * @param writtenBy the certform version that wrote it
     */
    public record StateSummary(String where, long serial, String lineage, Instant writtenAt, String writtenBy,
                               int resources) {
    }

    /**
     * Where bindings live: the manifest's provider today; one of several named providers once fleets exist.
     *
     * @param location the region, or the endpoint ({@code embedded} for the simulator)
     */
    public record Provider(String name, String service, String location, String project) {

        /** As the inventory's provider column shows it: {@code service location project}. */
        public String label() {
            StringBuilder out = new StringBuilder();
            if (name != null && !name.equals("default")) {
                out.append(name).append(": "); // a fleet's provider by its name
            }
            out.append(service == null ? "?" : service);
            if (location != null) {
                out.append(' ').append(location);
            }
            if (project != null) {
                out.append(" (").append(project).append(')');
            }
            return out.toString();
        }
    }

    /**
     * One certificate of the manifest.
     *
     * @param domains     how many bindings it has in the report (recorded or declared): the size of its mark
     * @param names       the names it covers (its SAN DNS names)
     * @param notAfter    when it expires, or null when its file cannot be read
     * @param daysLeft    whole days from {@code generatedAt} to {@code notAfter} (negative: expired)
     * @param warningDays {@code expiry_warning_days}: fewer days left is "expiring"
     * @param renewBy     the date to renew by: {@code notAfter} minus {@code warningDays}
     * @param status      as {@code certform certs} says it: ok, expiring, or the gravest problem
     */
    public record CertificateRow(String key, String name, List<String> names, int domains, Instant notAfter,
                                 long daysLeft, int warningDays, int minDaysRemaining, Instant renewBy,
                                 String algorithm, String issuer, String status) {
        public CertificateRow {
            names = List.copyOf(names);
        }

        /** How its days left compare to its thresholds: what colours its mark. */
        public Urgency urgency() {
            if (notAfter == null || daysLeft < 0) {
                return Urgency.EXPIRED;
            }
            if (daysLeft < minDaysRemaining) {
                return Urgency.CRITICAL;
            }
            return daysLeft < warningDays ? Urgency.WARNING : Urgency.OK;
        }
    }

    /** A certificate's days left against its thresholds. */
    public enum Urgency {
        /** Expired, or unreadable. */
        EXPIRED("expired"),
        /** Fewer days left than {@code min_days_remaining}: a plan will not send it. */
        CRITICAL("under min_days_remaining"),
        /** Fewer days left than {@code expiry_warning_days}. */
        WARNING("under expiry_warning_days"),
        /** More days left than both thresholds. */
        OK("ok");

        private final String label;

        Urgency(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Whether a binding is what the manifest declares. */
    public enum Sync {
        /** Recorded, same certificate as the manifest's, and the last refresh saw it on its domain. */
        IN_SYNC("in sync"),
        /** Recorded, but another certificate than the manifest's, or another one seen on its domain. */
        DRIFTED("drifted"),
        /** Declared in the manifest, not in the state: the next apply binds it. */
        NOT_APPLIED("not applied"),
        /** In the state, and no longer in the manifest (the binding or its certificate): the next apply removes it. */
        NOT_IN_MANIFEST("not in manifest");

        private final String label;

        Sync(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One binding: a certificate on a domain.
     *
     * @param certificate the manifest key of its certificate
     * @param model       {@code per-domain} or {@code shared}
     * @param verifiedAt  when a rollout last saw the domain serve it over TLS, or null
     */
    public record BindingRow(Provider provider, String instance, String group, String domain, String certificate,
                             String model, Sync sync, String verifiedAt) {
    }

    /**
     * One rollout in waves.
     *
     * @param source      where it was read: an {@code apply --json} log, or the state (a rollout not finished)
     * @param interrupted recorded in the state as not finished: its waves' checks are not all known
     * @param stopReason  why it stopped, or null when it did not
     */
    public record Rollout(String source, boolean interrupted, boolean ok, String stopReason, boolean rolledBack,
                          List<Wave> waves, List<Failure> failures) {
        public Rollout {
            waves = List.copyOf(waves);
            failures = List.copyOf(failures);
        }
    }

    /** One wave: wave 0 is the check of bindings an interrupted rollout left unchecked. */
    public record Wave(int number, int domains, int bound, int verified, int failed, int rolledBack) {
    }

    /** A domain whose check failed, and why. */
    public record Failure(String domain, String outcome, String detail) {
    }
}
