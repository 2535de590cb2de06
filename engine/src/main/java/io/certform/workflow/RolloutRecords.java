package io.certform.workflow;

import io.certform.apply.ApplyRunner;
import io.certform.state.ResourceState;
import io.certform.state.RolloutProgress;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.verify.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a rollout writes into the state besides its calls: its progress, and {@code verified_at}. */
record RolloutRecords(ApplyRunner applier, StateStore store, String version) {

    /** Writes {@code progress} as the state's rollout in progress (null: none), unless it is already that. */
    State progress(State state, RolloutProgress progress) throws StateException {
        if (Objects.equals(state.rollout(), progress)) {
            return state;
        }
        State next = state.next(state.resources(), version).withRollout(progress);
        store.write(next);
        return next;
    }

    /** Records {@code verified_at} for the bindings the check saw serve their certificate (state only). */
    State verified(State state, List<ResourceState> checked, List<Verification> found) throws StateException {
        List<ResourceState> verified = new ArrayList<>();
        for (int i = 0; i < checked.size() && i < found.size(); i++) {
            if (found.get(i).verified()) {
                verified.add(checked.get(i).verified(found.get(i).at()));
            }
        }
        if (verified.isEmpty()) {
            return state;
        }
        RunRecorder recorder = store.record(state);
        try {
            applier.recordVerified(recorder, verified);
            return recorder.finish();
        } finally {
            recorder.close();
        }
    }
}
