package io.certform.rollout;

import io.certform.manifest.RolloutSpec;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The waves of one plan: which bindings go out in which wave, and what the rollout does after each. Only changes
 * that bind a certificate (create, update, replace) are in waves; removals go after the last wave, once every
 * binding is out; moves only edit the state and are in no wave.
 *
 * @param waves        in order, none empty; none when the plan binds nothing
 * @param afterWaves   the addresses removed after the last wave, in the plan's order
 * @param sizes        the wave sizes the waves were made from (manifest or {@code --waves})
 * @param restImplied  whether the sizes do not end with "100%", so that the last wave takes what they leave
 * @param providerOrder with {@code by: provider}, the providers in the order of their waves (a provider with nothing
 *                     to bind has no wave); empty for waves by size
 */
public record RolloutPlan(List<Wave> waves, List<String> afterWaves, List<RolloutSpec.WaveSize> sizes,
                          boolean restImplied, RolloutSpec.Verify verify, int maxFailures,
                          RolloutSpec.OnFailure onFailure, List<String> providerOrder) {

    /** Waves by size. */
    public RolloutPlan(List<Wave> waves, List<String> afterWaves, List<RolloutSpec.WaveSize> sizes,
                       boolean restImplied, RolloutSpec.Verify verify, int maxFailures,
                       RolloutSpec.OnFailure onFailure) {
        this(waves, afterWaves, sizes, restImplied, verify, maxFailures, onFailure, List.of());
    }

    /** Above this many waves, or bindings in the first waves, a text plan lists no addresses. */
    public static final int ADDRESSES_LISTED = 10;

    public RolloutPlan {
        waves = List.copyOf(waves);
        afterWaves = List.copyOf(afterWaves);
        sizes = List.copyOf(sizes);
        providerOrder = providerOrder == null ? List.of() : List.copyOf(providerOrder);
    }

    /**
     * One wave.
     *
     * @param number    1 for the first
     * @param addresses the changes it makes, by {@link ResourceChange#key} (a deposed object's removal apart from its
     *                  address's live change), in the plan's order
     */
    public record Wave(int number, List<String> addresses, String provider) {
        public Wave {
            addresses = List.copyOf(addresses);
        }

        /** A wave by size. */
        public Wave(int number, List<String> addresses) {
            this(number, addresses, null);
        }

        /** {@code wave 2} or, for one provider's wave, {@code wave 2 (provider eu)}. */
        public String label() {
            return "wave " + number + (provider == null ? "" : " (provider " + provider + ")");
        }
    }

    /** The waves of {@code plan} under {@code rollout}. */
    public static RolloutPlan of(Plan plan, RolloutSpec rollout) {
        List<String> binding = new ArrayList<>();
        List<String> removing = new ArrayList<>();
        List<String> certificates = new ArrayList<>();
        java.util.Map<String, String> deposedAt = new java.util.HashMap<>(); // key -> address, of deposed removals
        for (ResourceChange c : plan.changes()) {
            boolean certificate = (c.after() != null && c.after().certificateResource())
                    || (c.before() != null && c.before().certificateResource());
            if (certificate && c.action() != Action.DELETE) {
                certificates.add(c.address()); // made before any domain is attached to it: the first wave
            } else if (binds(c.action())) {
                binding.add(c.address());
            } else if (c.action() == Action.DELETE) {
                removing.add(c.key());
                if (c.deposed()) {
                    deposedAt.put(c.key(), c.address());
                }
            }
        }
        if (rollout.byProvider()) {
            return byProvider(binding, certificates, removing, deposedAt, rollout);
        }
        List<List<String>> split = Waves.split(binding, rollout.waves());
        java.util.Map<String, Integer> waveOfLive = new java.util.HashMap<>();
        for (int i = 0; i < split.size(); i++) {
            for (String a : split.get(i)) {
                waveOfLive.put(a, i);
            }
        }
        // an object deposed at an address of a wave goes with that wave, after its replacement: the wave's
        // domains then carry only the new certificate when they are checked
        List<List<String>> deposed = new ArrayList<>();
        split.forEach(w -> deposed.add(new ArrayList<>()));
        for (java.util.Iterator<String> it = removing.iterator(); it.hasNext(); ) {
            String a = it.next();
            Integer wave = deposedAt.containsKey(a) ? waveOfLive.get(deposedAt.get(a)) : null;
            if (wave != null) {
                deposed.get(wave).add(a);
                it.remove();
            }
        }
        List<Wave> waves = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            List<String> addresses = new ArrayList<>(split.get(i));
            if (i == 0) {
                addresses.addAll(0, certificates);
            }
            addresses.addAll(deposed.get(i));
            waves.add(new Wave(i + 1, addresses));
        }
        if (waves.isEmpty() && !certificates.isEmpty()) {
            waves.add(new Wave(1, certificates));
        }
        return new RolloutPlan(waves, removing, rollout.waves(), rollout.lastWaveTakesTheRest(), rollout.verify(),
                rollout.maxFailures(), rollout.onFailure());
    }

    /**
     * One wave per provider with something to bind, in {@link RolloutSpec#providerOrder}: the provider's certificate
     * resources first, then its bindings, then the removals of objects deposed at its addresses.
     */
    private static RolloutPlan byProvider(List<String> binding, List<String> certificates, List<String> removing,
                                          java.util.Map<String, String> deposedAt, RolloutSpec rollout) {
        List<String> after = new ArrayList<>(removing);
        List<Wave> waves = new ArrayList<>();
        for (String provider : rollout.providerOrder()) {
            List<String> addresses = new ArrayList<>();
            certificates.stream().filter(a -> providerOf(a).equals(provider)).forEach(addresses::add);
            binding.stream().filter(a -> providerOf(a).equals(provider)).forEach(addresses::add);
            for (java.util.Iterator<String> it = after.iterator(); it.hasNext(); ) {
                String key = it.next();
                String live = deposedAt.get(key);
                if (live != null && binding.contains(live) && providerOf(live).equals(provider)) {
                    addresses.add(key);
                    it.remove();
                }
            }
            if (!addresses.isEmpty()) {
                waves.add(new Wave(waves.size() + 1, addresses, provider));
            }
        }
        return new RolloutPlan(waves, after, List.of(RolloutSpec.WaveSize.REST), false, rollout.verify(),
                rollout.maxFailures(), rollout.onFailure(), rollout.providerOrder());
    }

    private static String providerOf(String address) {
        return io.certform.state.ResourceState.providerOf(address);
    }

    /** Whether each wave is one provider's bindings. */
    public boolean byProvider() {
        return !providerOrder.isEmpty();
    }

    /**
     * Whether a change binds a certificate to a domain, and so goes out in a wave. An adoption sends nothing, but
     * goes with the waves too: it is recorded there, and checked as the wave's other domains are.
     */
    public static boolean binds(Action action) {
        return action == Action.CREATE || action == Action.UPDATE || action == Action.REPLACE
                || action == Action.CREATE_THEN_DELETE || action == Action.ADOPT;
    }

    /** Whether the rollout does nothing an apply in one pass would not: one wave, no verification, stop on failure. */
    public boolean onePass() {
        return waves.size() <= 1 && verify == RolloutSpec.Verify.NONE && onFailure == RolloutSpec.OnFailure.STOP;
    }

    /** Bindings per wave, e.g. [1, 20, 179]. */
    public List<Integer> waveSizes() {
        return waves.stream().map(w -> w.addresses().size()).toList();
    }

    /** The wave a change ({@link ResourceChange#key}) goes out in, or 0 when it is in none. */
    public int waveOf(String address) {
        for (Wave w : waves) {
            if (w.addresses().contains(address)) {
                return w.number();
            }
        }
        return 0;
    }

    /**
     * One line: {@code 3 waves: 1, 20, 179 bindings; verify tls; on failure rollback (max 0 failures per wave)}.
     */
    public String summary() {
        String counts = String.join(", ", waveSizes().stream().map(String::valueOf).toList());
        int total = waveSizes().stream().mapToInt(Integer::intValue).sum();
        String shape = waves.isEmpty() ? "no wave (nothing to bind)" : waves.size()
                + (waves.size() == 1 ? " wave: " : " waves: ") + counts + (total == 1 ? " binding" : " bindings");
        String by = byProvider() ? " by provider (" + String.join(", ", waves.stream().map(Wave::provider).toList())
                + ")" : "";
        return shape + by + "; verify " + verify.word() + "; on failure "
                + onFailure.word() + " (at most " + maxFailures + (maxFailures == 1 ? " failure" : " failures")
                + " per wave)";
    }

    /** What the plan says besides the summary: the rest rule, and where the removals go. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (restImplied && !waves.isEmpty()) {
            notes.add("The waves " + sizes + " do not end with \"100%\": the last wave takes the bindings they leave.");
        }
        if (!afterWaves.isEmpty()) {
            notes.add(afterWaves.size() + (afterWaves.size() == 1 ? " removal goes" : " removals go")
                    + " after the last wave, once every binding is out.");
        }
        return notes;
    }
}
