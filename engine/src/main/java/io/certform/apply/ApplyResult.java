package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.state.State;
import java.util.List;

/**
 * How an apply ended.
 *
 * @param failures every change that failed, with the API's error
 * @param skipped  addresses not attempted because the run was stopped
 * @param state    the state as last written
 */
public record ApplyResult(int added, int changed, int destroyed, List<Failure> failures, List<String> skipped,
                          State state, Stats stats, boolean interrupted) {
    public ApplyResult {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    public record Failure(String address, ApiException error) {
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
        return failures.isEmpty() && skipped.isEmpty() && !interrupted;
    }
}
