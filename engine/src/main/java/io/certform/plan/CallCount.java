package io.certform.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applying a plan costs in API write calls, per certificate: the plan says it before anything is sent.
 * Retries are not counted (they depend on the gateway's answers), nor the reads that check a lost answer.
 *
 * @param model      the certificate model; {@code per-domain}: the seed call, one certificate per domain;
 *                   {@code shared}: one certificate resource attached in batches; {@code per-domain -> shared}
 *                   (or back) for a certificate that changes model
 * @param writes     write calls when the gateway replaces a domain's certificate in one call
 * @param writesAtMost write calls when it refuses a second certificate on a domain, so that each update first
 *                   removes the certificate certform bound there
 */
public record CallCount(String certificateKey, String model, long writes, long writesAtMost) {

    public static final String PER_DOMAIN = "per-domain";
    /** The certificate-management model: one certificate resource, attached to domains in batches. */
    public static final String SHARED = "shared";

    /** One count per certificate key with a change, in key order. */
    public static List<CallCount> of(Plan plan) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, java.util.Set<String>> modelsBefore = new TreeMap<>();
        Map<String, java.util.Set<String>> modelsAfter = new TreeMap<>();
        Map<String, Long> attaches = new TreeMap<>();
        Map<String, Long> detaches = new TreeMap<>();
        for (ResourceChange c : plan.changes()) {
            String key = c.after() != null ? c.after().certificateKey() : c.before().certificate();
            long[] n = counts.computeIfAbsent(key, k -> new long[2]);
            boolean afterShared = c.after() != null && c.after().shared();
            boolean beforeShared = c.before() != null && c.before().shared();
            if (c.before() != null) {
                modelsBefore.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(beforeShared ? SHARED : PER_DOMAIN);
            }
            if (c.after() != null) {
                modelsAfter.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(afterShared ? SHARED : PER_DOMAIN);
            }
            if (!c.action().changes()) {
                continue;
            }
            boolean certificate = (c.after() != null && c.after().certificateResource())
                    || (c.before() != null && c.before().certificateResource());
            if (certificate) {
                switch (c.action()) {
                    case CREATE, UPDATE -> add(n, 1, 1);             // POST or PUT .../certificates
                    case CREATE_THEN_DELETE -> {                     // POST, DELETE the old one, and a rename
                        long rename = c.before().sslName() != null
                                && c.before().sslName().equals(c.after().sslName()) ? 1 : 0; // when it held the name
                        add(n, 2 + rename, 2 + rename);
                    }
                    case DELETE -> add(n, c.forgetsOnly() ? 0 : 1, c.forgetsOnly() ? 0 : 1);
                    default -> add(n, 0, 0);
                }
                continue;
            }
            if (c.action() == Action.CREATE || c.action() == Action.CREATE_THEN_DELETE) {
                if (afterShared) {
                    attaches.merge(key + "\u0000" + c.after().certificateKey(), 1L, Long::sum);
                } else {
                    add(n, 1, 1);                                       // POST .../certificate
                }
            }
            if (c.action() == Action.CREATE_THEN_DELETE || (c.action() == Action.DELETE && !c.forgetsOnly())) {
                if (beforeShared) {
                    detaches.merge(key + "\u0000" + c.before().sslId(), 1L, Long::sum);
                } else {
                    add(n, 1, 1);                                       // DELETE .../certificate/{id}
                }
                continue;
            }
            switch (c.action()) {
                case UPDATE -> add(n, 1, 2);             // POST; DELETE first where a second one is refused
                case REPLACE -> add(n, 2, 2);            // DELETE on the old domain, POST on the new one
                default -> add(n, 0, 0);                 // creates are counted above; no-op, move: nothing is sent
            }
        }
        attaches.forEach((k, domains) -> add(counts.get(k.substring(0, k.indexOf('\u0000'))),
                chunks(domains, plan.attachChunk()), chunks(domains, plan.attachChunk())));
        detaches.forEach((k, domains) -> add(counts.get(k.substring(0, k.indexOf('\u0000'))),
                chunks(domains, plan.attachChunk()), chunks(domains, plan.attachChunk())));
        List<CallCount> out = new ArrayList<>();
        counts.forEach((key, n) -> {
            if (n[1] > 0) {
                out.add(new CallCount(key, model(modelsBefore.get(key), modelsAfter.get(key)), n[0], n[1]));
            }
        });
        return out;
    }

    /**
     * The model a certificate's changes use: the one of its bindings after the apply, preceded by {@code X -> }
     * when some binding leaves another model ({@code per-domain -> shared}); a removal keeps the model it had.
     * Each model is named once, however many bindings make the switch.
     */
    static String model(java.util.Set<String> before, java.util.Set<String> after) {
        if (after == null || after.isEmpty()) {
            return String.join(" + ", before);
        }
        java.util.Set<String> left = new java.util.TreeSet<>(before == null ? java.util.Set.of() : before);
        left.removeAll(after);
        String now = String.join(" + ", after);
        return left.isEmpty() ? now : String.join(" + ", left) + " -> " + now;
    }

    private static long chunks(long domains, int chunk) {
        return (domains + chunk - 1) / chunk;
    }

    private static void add(long[] n, long writes, long atMost) {
        n[0] += writes;
        n[1] += atMost;
    }

    /** The calls of the whole plan. */
    public static long total(List<CallCount> counts) {
        return counts.stream().mapToLong(CallCount::writes).sum();
    }
}
