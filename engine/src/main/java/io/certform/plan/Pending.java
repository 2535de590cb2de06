package io.certform.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plan cannot know yet, and which the next {@code apply} settles before anything else: calls an interrupted
 * run sent and never saw answered (their intents are open in the journal), and a rollout wave whose TLS check an
 * interrupted apply never finished. A plan with either is never "No changes": the domains involved may carry
 * nothing, or a certificate that failed its check.
 *
 * @param unknowns one per open intent, in journal order
 * @param wave     the interrupted rollout's unfinished wave, or null
 * @param issuance the certificates the next apply has an ACME CA issue first, in manifest order; a plan never
 *                 contacts the CA, so their bindings are planned once they are issued
 */
public record Pending(List<Unknown> unknowns, Wave wave, List<Issuance> issuance) {

    /** Nothing pending. */
    public static final Pending NONE = new Pending(List.of(), null);

    public Pending {
        unknowns = unknowns == null ? List.of() : List.copyOf(unknowns);
        issuance = issuance == null ? List.of() : List.copyOf(issuance);
    }

    public Pending(List<Unknown> unknowns, Wave wave) {
        this(unknowns, wave, List.of());
    }

    /**
     * A certificate of the manifest issued by ACME that the next apply orders: one the key store does not hold yet
     * (issue), or one it holds that is due (renew).
     *
     * @param certificate     the entry's key
     * @param names           how many names it orders
     * @param keyType         its key type as people say it ({@code EC P-256})
     * @param expiresInDays   renew: whole days until the held certificate expires; issue: null
     * @param renewBeforeDays renew: the entry's {@code renew_before} in whole days; issue: null
     */
    public record Issuance(String certificate, int names, String keyType, Long expiresInDays,
                           Long renewBeforeDays) {

        /** A certificate never issued. */
        public Issuance(String certificate, int names, String keyType) {
            this(certificate, names, keyType, null, null);
        }

        /** A held certificate that is due. */
        public static Issuance renewal(String certificate, int names, String keyType, long expiresInDays,
                                       long renewBeforeDays) {
            return new Issuance(certificate, names, keyType, expiresInDays, renewBeforeDays);
        }

        public boolean renew() {
            return expiresInDays != null;
        }

        /** {@code issue} or {@code renew}. */
        public String kind() {
            return renew() ? "renew" : "issue";
        }

        /** Why: {@code expires in 21 days, renew_before 30 days}; for an issue, {@code not issued yet}. */
        public String reason() {
            if (!renew()) {
                return "not issued yet";
            }
            return (expiresInDays < 0 ? "expired " + (-expiresInDays) + " days ago" : "expires in " + expiresInDays
                    + (expiresInDays == 1 ? " day" : " days")) + ", renew_before " + renewBeforeDays
                    + (renewBeforeDays == 1 ? " day" : " days");
        }

        /** {@code will be issued (3 names, EC P-256)}, {@code will be renewed: expires in 21 days, ...}. */
        public String action() {
            if (renew()) {
                return "will be renewed: " + reason();
            }
            return "will be issued (" + names + (names == 1 ? " name, " : " names, ") + keyType + ")";
        }
    }

    /** The same, with the certificates the next apply issues. */
    public Pending withIssuance(List<Issuance> value) {
        return new Pending(unknowns, wave, value);
    }

    /**
     * A call an interrupted run sent whose outcome is not known.
     *
     * @param call   the call as the journal names it: {@code bind}, {@code unbind}, {@code attach}, ...
     * @param domain the domain it concerns, or null for a certificate resource of the shared model
     * @param sentAt when the run journalled it
     */
    public record Unknown(String address, String domain, String call, String certificateName, Instant sentAt) {
    }

    /**
     * A rollout wave an interrupted apply bound and never finished checking.
     *
     * @param number    the wave's number in the interrupted rollout
     * @param unchecked the addresses of its bindings whose check is not done
     * @param onFailure what the next apply does if the check fails: {@code rollback} or {@code stop}
     */
    public record Wave(int number, List<String> unchecked, String onFailure) {
        public Wave {
            unchecked = List.copyOf(unchecked);
        }
    }

    /** Something is pending: the plan must not say "No changes", and --detailed-exitcode exits 2. */
    public boolean any() {
        return !unknowns.isEmpty() || wave != null || !issuance.isEmpty();
    }

    /** Something is unknown (an open intent, an interrupted wave), beside any issuance. */
    public boolean unknown() {
        return !unknowns.isEmpty() || wave != null;
    }

    /** The same, with the interrupted rollout's wave. */
    public Pending withWave(Wave value) {
        return new Pending(unknowns, value, issuance);
    }

    /** One sentence per pending item, for people (the text and markdown plans). */
    public List<String> sentences() {
        List<String> out = new ArrayList<>();
        for (Issuance i : issuance) {
            out.add(i.renew()
                    ? "certificate '" + i.certificate() + "' " + i.action() + "; the next apply orders it from its"
                    + " ACME CA, then updates its bindings with the new certificate (known after apply)."
                    : "certificate '" + i.certificate() + "' " + i.action() + " by its ACME CA at the next apply;"
                    + " its bindings are planned once it is issued.");
        }
        for (Unknown u : unknowns) {
            out.add(u.address() + (u.domain() == null ? "" : " (domain " + u.domain() + ")") + ": unknown. A "
                    + u.call() + " call" + (u.certificateName() == null ? "" : " for certificate "
                    + u.certificateName()) + " sent at " + u.sentAt() + " by an interrupted run never got its answer;"
                    + " the domain may carry the new certificate, the old one, or none. The next apply settles it first"
                    + " (it looks at the domain and never sends the call again), then plans it.");
        }
        if (wave != null) {
            out.add("Rollout wave " + wave.number() + " was interrupted during its TLS check: "
                    + wave.unchecked().size() + " binding(s) (" + String.join(", ", wave.unchecked().stream()
                    .limit(10).toList()) + (wave.unchecked().size() > 10 ? ", ..." : "") + ") were bound and never"
                    + " checked. The next apply checks them first and, if the check fails, "
                    + ("rollback".equals(wave.onFailure()) ? "rolls the rollout's waves back (on_failure: rollback)"
                    : "stops there (on_failure: stop)") + " before anything else.");
        }
        return out;
    }
}
