package io.certform.apply;

import io.certform.base.Exhaustion;
import io.certform.plan.Action;
import io.certform.plan.Moves;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a fleet's plan: each provider's changes run side by side, on that provider's own {@link Applier} (its own
 * client, {@link StepPool} with its limiter, AIMD, rate cap, retries and stop flag, and settle window), all recording
 * into one run of the one state store. A provider that throttles slows only itself; one whose credentials are
 * refused (401/403) or whose endpoint cannot be reached stops only its own pool, and the others finish.
 *
 * <p>A binding moved between providers ({@code KEY[DOMAIN]} deleted at one provider and created at another) is
 * deleted only once its create succeeded: the deletes of moves run after every provider's other changes, and a move
 * whose create failed or was not attempted keeps its old binding, in place and recorded (reported not attempted).
 */
public final class FleetApplier implements ApplyRunner {

    /** Why a move's delete was not attempted. */
    static final String MOVE_KEPT = "its create at the new provider did not succeed: the old binding is kept";

    private final StateStore store;
    private final Map<String, Integer> attachChunks;
    private final Map<String, Applier> appliers;

    /**
     * @param appliers each provider's applier by name, in the providers' declared order, each built on the one
     *                 {@code store}
     */
    public FleetApplier(StateStore store, Map<String, Applier> appliers) {
        this(store, appliers, Map.of());
    }

    /**
     * @param attachChunks each provider's {@code attach_chunk} (domains per attach or detach call of the shared model);
     *                     a provider not in it takes the plan's
     */
    public FleetApplier(StateStore store, Map<String, Applier> appliers, Map<String, Integer> attachChunks) {
        if (appliers.isEmpty()) {
            throw new IllegalArgumentException("a fleet has at least one provider");
        }
        this.store = store;
        this.appliers = new LinkedHashMap<>(appliers);
        this.attachChunks = Map.copyOf(attachChunks);
    }

    /** The providers, in their declared order. */
    public List<String> providers() {
        return List.copyOf(appliers.keySet());
    }

    @Override
    public ApplyResult apply(Plan plan, State prior) throws StateException {
        Map<String, List<ResourceChange>> first = new LinkedHashMap<>();
        Map<String, List<ResourceChange>> moveDeletes = new LinkedHashMap<>();
        Map<String, String> createOf = new java.util.HashMap<>(); // a move's delete key -> its create's address
        Moves.of(plan).forEach(m -> createOf.put(m.delete(), m.create()));
        for (ResourceChange change : plan.changes()) {
            if (!change.action().changes()) {
                continue;
            }
            String provider = ResourceState.providerOf(change.address());
            if (!appliers.containsKey(provider)) {
                throw new IllegalArgumentException(change.key() + " is on provider '" + provider + "', which is not"
                        + " one of " + appliers.keySet());
            }
            boolean late = change.action() == Action.DELETE && createOf.containsKey(change.key());
            (late ? moveDeletes : first).computeIfAbsent(provider, k -> new ArrayList<>()).add(change);
        }
        RunRecorder recorder = store.record(prior);
        Map<String, List<Steps>> steps = new LinkedHashMap<>();
        State finalState;
        try {
            runSideBySide(plan, prior, recorder, first, steps, !moveDeletes.isEmpty());
            Map<String, List<ResourceChange>> second = new LinkedHashMap<>();
            Map<String, List<ResourceChange>> kept = new LinkedHashMap<>();
            Set<String> created = created(steps);
            moveDeletes.forEach((provider, deletes) -> {
                for (ResourceChange delete : deletes) {
                    (created.contains(createOf.get(delete.key())) ? second : kept)
                            .computeIfAbsent(provider, k -> new ArrayList<>()).add(delete);
                }
            });
            runSideBySide(plan, prior, recorder, second, steps, false);
            kept.forEach((provider, deletes) -> {
                Steps report = appliers.get(provider).report(recorder);
                deletes.forEach(d -> report.skipped(d, MOVE_KEPT));
                steps.computeIfAbsent(provider, k -> new ArrayList<>()).add(report);
            });
        } finally {
            finalState = appliers.values().iterator().next().finish(recorder, prior);
        }
        return combine(steps, finalState, recorder.stats());
    }

    /** The address of every creation (or adoption) that succeeded so far. */
    private static Set<String> created(Map<String, List<Steps>> steps) {
        Set<String> done = new HashSet<>();
        steps.values().forEach(list -> list.forEach(s -> done.addAll(s.createdAddresses())));
        return done;
    }

    /** Runs each provider's share of {@code plan} at once, one thread per provider, and waits for all of them. */
    private void runSideBySide(Plan plan, State prior, RunRecorder recorder, Map<String, List<ResourceChange>> work,
                               Map<String, List<Steps>> steps, boolean trackCreated) {
        List<Thread> threads = new ArrayList<>();
        Map<String, AtomicReference<Steps>> ran = new LinkedHashMap<>();
        AtomicReference<Throwable> bug = new AtomicReference<>();
        for (Map.Entry<String, List<ResourceChange>> e : work.entrySet()) {
            Applier applier = appliers.get(e.getKey());
            AtomicReference<Steps> out = new AtomicReference<>();
            ran.put(e.getKey(), out);
            Thread t = new Thread(() -> {
                try {
                    Plan share = plan.with(e.getValue()).attachingInChunksOf(
                            attachChunks.getOrDefault(e.getKey(), plan.attachChunk()));
                    out.set(applier.run(share, prior, recorder, trackCreated));
                } catch (Throwable failure) {
                    bug.compareAndSet(null, failure);
                }
            }, "apply-provider-" + e.getKey());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    requestStop();
                }
            }
        }
        if (bug.get() != null) {
            throw new IllegalStateException("a provider's apply failed", bug.get());
        }
        ran.forEach((provider, out) -> steps.computeIfAbsent(provider, k -> new ArrayList<>()).add(out.get()));
    }

    /** The run's account: each provider's, and theirs added up (the journal's figures counted once). */
    private ApplyResult combine(Map<String, List<Steps>> steps, State state, RunRecorder.Stats recorded)
            throws StateException {
        Map<String, ApplyResult> providers = new LinkedHashMap<>();
        for (String provider : appliers.keySet()) {
            List<Steps> runs = steps.get(provider);
            if (runs == null) {
                continue;
            }
            List<ApplyResult> parts = new ArrayList<>();
            for (Steps s : runs) {
                parts.add(s.result(state));
            }
            ApplyResult last = parts.get(parts.size() - 1);
            ApplyResult sum = ApplyResult.combine(parts, state);
            ApplyResult.Stats stats = last.stats() == null ? null : new ApplyResult.Stats(last.stats().retries(),
                    last.stats().throttles(), last.stats().lowestParallelism(), 0, 0, 0); // the pool's, cumulative
            providers.put(provider, new ApplyResult(sum.adopted(), sum.added(), sum.changed(), sum.destroyed(),
                    sorted(sum.failures()), sum.skipped().stream().sorted().toList(), state, stats, sum.interrupted(),
                    sum.exhausted()));
        }
        ApplyResult all = ApplyResult.combine(List.copyOf(providers.values()), state);
        ApplyResult.Stats s = all.stats();
        return new ApplyResult(all.adopted(), all.added(), all.changed(), all.destroyed(), sorted(all.failures()),
                all.skipped().stream().sorted().toList(), state, s == null ? null : new ApplyResult.Stats(s.retries(),
                s.throttles(), s.lowestParallelism(), recorded.records(), recorded.fsyncs(), recorded.compactions()),
                all.interrupted(), all.exhausted(), providers);
    }

    private static List<ApplyResult.Failure> sorted(List<ApplyResult.Failure> failures) {
        return failures.stream().sorted(Comparator.comparing(ApplyResult.Failure::address)).toList();
    }

    @Override
    public void requestStop() {
        appliers.values().forEach(Applier::requestStop);
    }

    @Override
    public void stopFor(Exhaustion what) {
        appliers.values().forEach(a -> a.stopFor(what));
    }

    @Override
    public void deferCertificateDeletes(boolean value) {
        appliers.values().forEach(a -> a.deferCertificateDeletes(value));
    }

    @Override
    public void recordVerified(RunRecorder recorder, List<ResourceState> bindings) {
        appliers.values().iterator().next().recordVerified(recorder, bindings);
    }
}
