package io.certform.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What applying a plan costs in API write calls, per certificate: the plan says it before anything is sent.
 * Retries are not counted (they depend on the gateway's answers), nor the reads that check a lost answer.
 *
 * @param model      the certificate model; {@code per-domain}: the seed call, one certificate per domain
 * @param writes     write calls when the gateway replaces a domain's certificate in one call
 * @param writesAtMost write calls when it refuses a second certificate on a domain, so that each update first
 *                   removes the certificate certform bound there
 */
public record CallCount(String certificateKey, String model, long writes, long writesAtMost) {

    public static final String PER_DOMAIN = "per-domain";

    /** One count per certificate key with a change, in key order. */
    public static List<CallCount> of(Plan plan) {
        Map<String, long[]> counts = new TreeMap<>();
        for (ResourceChange c : plan.changes()) {
            String key = c.after() != null ? c.after().certificateKey() : c.before().certificate();
            long[] n = counts.computeIfAbsent(key, k -> new long[2]);
            switch (c.action()) {
                case CREATE -> add(n, 1, 1);             // POST .../certificate
                case UPDATE -> add(n, 1, 2);             // POST; DELETE first where a second one is refused
                case REPLACE -> add(n, 2, 2);            // DELETE on the old domain, POST on the new one
                case DELETE -> add(n, c.forgetsOnly() ? 0 : 1, c.forgetsOnly() ? 0 : 1);
                default -> add(n, 0, 0);                 // no-op, move: nothing is sent
            }
        }
        List<CallCount> out = new ArrayList<>();
        counts.forEach((key, n) -> {
            if (n[1] > 0) {
                out.add(new CallCount(key, PER_DOMAIN, n[0], n[1]));
            }
        });
        return out;
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
