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
                          State state) {
    public ApplyResult {
        failures = List.copyOf(failures);
        skipped = List.copyOf(skipped);
    }

    public record Failure(String address, ApiException error) {
    }

    public boolean ok() {
        return failures.isEmpty() && skipped.isEmpty();
    }
}
