package io.certform.state;

import java.util.List;
import java.util.Objects;

/**
 * A rollout in waves that has not finished, as the state records it: what each of its waves bound and what that
 * replaced, and whether the last wave's TLS check was completed. Written before a wave sends anything and cleared
 * when the rollout ends (every wave done, stopped, or rolled back), so that a run killed during a wave or its check
 * leaves the next {@code apply} what it needs to finish that check and, if it fails, roll the rollout back.
 *
 * @param wave     the number of the wave in progress (or the last one started)
 * @param checked  the TLS check of that wave was completed (passed, or failed and acted upon)
 * @param bindings every binding the rollout's waves bound so far, in the order they were planned
 */
public record RolloutProgress(int wave, boolean checked, List<Entry> bindings) {

    public RolloutProgress {
        bindings = bindings == null ? List.of() : List.copyOf(bindings);
    }

    /**
     * One binding a wave bound.
     *
     * @param action   the plan's action, by its wire name ({@code update}, {@code create}, {@code create-then-delete})
     * @param replaced the object recorded at the address before the wave (null: the domain had none of certform's)
     */
    public record Entry(String address, int wave, String action, ResourceState replaced) {
        public Entry {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(action, "action");
        }
    }

    /** The bindings of wave {@code number}. */
    public List<Entry> ofWave(int number) {
        return bindings.stream().filter(e -> e.wave() == number).toList();
    }

    /** The same rollout, wave {@code number} started with {@code more} bindings, its check not done. */
    public RolloutProgress starting(int number, List<Entry> more) {
        List<Entry> all = new java.util.ArrayList<>(bindings);
        all.addAll(more);
        return new RolloutProgress(number, false, all);
    }

    /** The same rollout, the check of its wave in progress completed. */
    public RolloutProgress checkedOk() {
        return new RolloutProgress(wave, true, bindings);
    }
}
