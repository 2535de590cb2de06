package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.base.Exhaustion;
import io.certform.state.State;
import java.util.List;

/**
 * How an apply ended.
 *
 * @param adopted  bindings found in place at the gateway and recorded without a call (Terraform's "imported")
 * @param failures every change that failed, with the API's error
 * @param skipped  addresses not attempted because the run was stopped
 * @param state     the state as last written
 * @param exhausted what ran out (memory, disk space, file handles) and stopped the run as an interrupt would, or
 *                  null
 * @param providers  a fleet's run: each provider's own account, in the providers' declared order (its state is
 *                   the run's); empty for a run of one provider's manifest
 */
public record ApplyResult(int adopted, int added, int changed, int destroyed, List<Failure> failures, List<String> skipped,
                          State state, Stats stats, boolean interrupted, Exhaustion exhausted,
                          java.util.Map<String, ApplyResult> providers) {
    public ApplyResult {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
        providers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(providers));
    }

    public ApplyResult(int adopted, int added, int changed, int destroyed, List<Failure> failures, List<String> skipped,
                       State state, Stats stats, boolean interrupted, Exhaustion exhausted) {
        this(adopted, added, changed, destroyed, failures, skipped, state, stats, interrupted, exhausted,
                java.util.Map.of());
    }

    /**
     * A change that did not complete.
     *
     * @param address the change's {@link io.certform.plan.ResourceChange#key}: its address, or for the removal of a
     *                deposed object {@code ADDRESS (deposed KEY)}, never taken for the live object at that address
     * @param unknown why its outcome is unknown (the call may still take effect; its intent stays in the journal),
     *                or null for a plain failure
     */
    public record Failure(String address, ApiException error, String unknown) {
        public boolean outcomeUnknown() {
            return unknown != null;
        }
    }

    /** The changes whose outcome is unknown: the next run settles them before anything else. */
    public List<Failure> unknown() {
        return failures.stream().filter(Failure::outcomeUnknown).toList();
    }

    /**
     * How the run went underneath.
     *
     * @param throttles          answers 429
     * @param lowestParallelism  the lowest the concurrency went after throttling
     * @param journalRecords     records journalled
     * @param journalSyncs       fsyncs they cost (group commit)
     * @param compactions        state file rewrites
     */
    public record Stats(int retries, long throttles, int lowestParallelism, long journalRecords, long journalSyncs,
                        int compactions) {
    }

    public boolean ok() {
        return failures.isEmpty() && skipped.isEmpty() && !interrupted && exhausted == null;
    }

    /** Several runs of one command (a rollout's waves) as one result: counts added up, the last state. */
    public static ApplyResult combine(List<ApplyResult> runs, State unchanged) {
        if (runs.isEmpty()) {
            return new ApplyResult(0, 0, 0, 0, List.of(), List.of(), unchanged, null, false, null);
        }
        int adopted = 0;
        int added = 0;
        int changed = 0;
        int destroyed = 0;
        java.util.Map<String, Failure> failures = new java.util.LinkedHashMap<>();
        java.util.List<String> skipped = new java.util.ArrayList<>();
        boolean interrupted = false;
        Exhaustion exhausted = null;
        int retries = 0;
        long throttles = 0;
        int lowest = Integer.MAX_VALUE;
        long records = 0;
        long syncs = 0;
        int compactions = 0;
        for (ApplyResult r : runs) {
            adopted += r.adopted();
            added += r.added();
            changed += r.changed();
            destroyed += r.destroyed();
            r.failures().forEach(f -> failures.put(f.address(), f));
            skipped.addAll(r.skipped());
            interrupted |= r.interrupted();
            exhausted = exhausted != null ? exhausted : r.exhausted();
            if (r.stats() != null) {
                retries += r.stats().retries();
                throttles += r.stats().throttles();
                lowest = Math.min(lowest, r.stats().lowestParallelism());
                records += r.stats().journalRecords();
                syncs += r.stats().journalSyncs();
                compactions += r.stats().compactions();
            }
        }
        java.util.Map<String, List<ApplyResult>> perProvider = new java.util.LinkedHashMap<>();
        for (ApplyResult r : runs) {
            r.providers().forEach((name, p) -> perProvider.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(p));
        }
        java.util.Map<String, ApplyResult> providers = new java.util.LinkedHashMap<>();
        perProvider.forEach((name, list) -> providers.put(name, combine(list, unchanged)));
        return new ApplyResult(adopted, added, changed, destroyed, new java.util.ArrayList<>(failures.values()), skipped,
                runs.get(runs.size() - 1).state(), new Stats(retries, throttles, lowest == Integer.MAX_VALUE ? 0
                : lowest, records, syncs, compactions), interrupted, exhausted, providers);
    }
}
