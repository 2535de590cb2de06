package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.base.Exhaustion;
import io.certform.state.State;
import java.util.List;

/**
 * How an apply ended.
 *
 * @param failures every change that failed, with the API's error
 * @param skipped  addresses not attempted because the run was stopped
 * @param state     the state as last written
 * @param exhausted what ran out (memory, disk space, file handles) and stopped the run as an interrupt would, or
 *                  null
 */
public record ApplyResult(int added, int changed, int destroyed, List<Failure> failures, List<String> skipped,
                          State state, Stats stats, boolean interrupted, Exhaustion exhausted) {
    public ApplyResult {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    /**
     * A change that did not complete.
     *
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
}
