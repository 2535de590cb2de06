package io.certform.workflow;

import io.certform.apply.Applier;
import io.certform.apply.ApplyResult;
import io.certform.base.CrashPoint;
import io.certform.base.Sleeper;
import io.certform.manifest.RolloutSpec;
import io.certform.plan.Action;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.rollout.RolloutPlan;
import io.certform.rollout.RolloutSettings;
import io.certform.state.ResourceState;
import io.certform.state.RolloutProgress;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.verify.Verification;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a plan in waves: each wave is applied (journalled like any apply), then, with {@code verify: tls}, every
 * domain of the wave is checked to serve the new certificate ({@link RolloutChecker}) and the result recorded
 * ({@code verified_at}). A wave with more failures than {@code max_failures} stops the rollout; with
 * {@code on_failure: rollback} the waves done are rolled back ({@link Rollback}). Removals, and the deletion of a
 * shared certificate that the rollout replaced, come after the last wave. A run killed between or inside waves
 * leaves a state whose next apply goes on: what was applied but never checked is checked first.
 */
public final class RolloutRun {

    /** What the person or the pipeline watching sees between the per-binding events. */
    public interface Events {
        void waveStarting(RolloutPlan.Wave wave, int waves);

        void verified(Verification verification);

        void waveDone(WaveReport report);

        void note(String text);

        /** Asked before each wave after the first with --confirm-waves; false stops the rollout. */
        boolean proceed(RolloutPlan.Wave next);
    }

    /**
     * One line of the closing table.
     *
     * @param number 0 for the check of bindings an interrupted rollout applied and never checked
     */
    public record WaveReport(int number, int domains, int bound, int verified, int failed, int rolledBack) {
    }

    /**
     * How the rollout went.
     *
     * @param stopReason why it stopped before its last wave, or null
     */
    public record Report(List<WaveReport> waves, List<Verification> verifications, List<ApplyResult> results,
                         State state, String stopReason, boolean rolledBack, boolean interrupted) {
        public boolean ok() {
            return stopReason == null && results.stream().allMatch(ApplyResult::ok);
        }
    }

    private final Applier applier;
    private final StateStore store;
    private final RolloutSettings settings;
    private final RolloutChecker checker;
    private final Rollback rollback;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Events events;
    private final String version;

    public RolloutRun(Workspace workspace, Applier applier, RolloutSettings settings, Clock clock, Sleeper sleeper,
                      Events events, int parallelism, String version) {
        this.applier = applier;
        this.store = workspace.stateStore();
        this.settings = settings;
        this.checker = new RolloutChecker(settings.rollout(), clock, sleeper, parallelism);
        this.rollback = new Rollback(workspace, applier, store, clock, version);
        this.clock = clock;
        this.sleeper = sleeper;
        this.events = events;
        this.version = version;
    }

    public Report run(Plan plan, State prior, RolloutPlan waves, Map<String, io.certform.plan.DesiredBinding> desired)
            throws StateException, InterruptedException {
        RolloutSpec rollout = settings.rollout();
        boolean verify = rollout.verify() == RolloutSpec.Verify.TLS;
        Map<String, ResourceChange> byAddress = new LinkedHashMap<>();
        plan.changes().forEach(c -> byAddress.put(c.key(), c)); // a deposed object's removal apart
        List<WaveReport> reports = new ArrayList<>();
        List<Verification> verifications = new ArrayList<>();
        List<ApplyResult> results = new ArrayList<>();
        State state = prior;
        // what this rollout bound so far, a rollback undoes all of it: an interrupted rollout's waves first
        List<ResourceChange> applied = new ArrayList<>();
        RolloutProgress progress = state.rollout();
        int base = progress == null ? 0 : progress.wave();
        // the old halves an interrupted run left (deposed bindings and attachments whose replacement is in place)
        // go first: until they are gone their domains may still serve the old certificate
        Set<String> rebinding = new HashSet<>();
        plan.changes().stream().filter(c -> c.action().changes() && c.after() != null)
                .forEach(c -> rebinding.add(c.address()));
        List<ResourceChange> leftovers = plan.changes().stream().filter(c -> c.action() == Action.DELETE
                && c.before().deposed() && !c.before().certificateResource()
                && !rebinding.contains(c.before().liveAddress())).toList();
        Set<String> doneEarly = new HashSet<>();
        if (!leftovers.isEmpty()) {
            ApplyResult result = applier.apply(plan.with(leftovers), state);
            results.add(result);
            state = result.state();
            leftovers.forEach(c -> doneEarly.add(c.key()));
            if (result.interrupted() || result.exhausted() != null) {
                return new Report(reports, verifications, results, state, result.interrupted() ? "interrupted"
                        : result.exhausted().cause(), false, result.interrupted());
            }
        }
        if (progress != null) {
            // an interrupted rollout's wave (its own old halves removed just above) is checked before anything new
            applied.addAll(InterruptedRollout.boundBy(progress, state, desired));
            Resumed resumed = resume(progress, state, applied, desired, reports, verifications, results);
            state = resumed.state();
            if (resumed.report() != null) {
                return resumed.report();
            }
            progress = state.rollout();
        }
        if (verify) {
            Set<String> changing = new HashSet<>();
            plan.changes().stream().filter(c -> c.action().changes()).forEach(c -> changing.add(c.address()));
            List<ResourceState> owed = state.resources().stream().filter(r -> !r.certificateResource()
                    && !r.deposed() && r.verificationOwed() && !changing.contains(r.address())
                    && desired.containsKey(r.address())).toList();
            State now = state;
            owed = owed.stream().filter(r -> InterruptedRollout.applied(r, now) != null).toList();
            if (!owed.isEmpty()) {
                events.note(owed.size() + " binding(s) were applied and never checked (a rollout was interrupted, or"
                        + " verify: tls is new): they are checked first.");
                List<Verification> found = checker.check(owed.stream().map(r -> new RolloutChecker.Target(r,
                        InterruptedRollout.applied(r, now), desired.get(r.address()))).toList());
                found.forEach(events::verified);
                verifications.addAll(found);
                state = recordVerified(state, owed, found);
                int failed = (int) found.stream().filter(v -> !v.verified()).count();
                WaveReport report = new WaveReport(0, owed.size(), 0, owed.size() - failed, failed, 0);
                reports.add(report);
                events.waveDone(report);
                if (failed > rollout.maxFailures()) {
                    return new Report(reports, verifications, results, state, failed + " binding(s) applied by an"
                            + " earlier run do not serve their certificate; no new wave was started", false, false);
                }
            }
        }
        applier.deferCertificateDeletes(true);
        String stopReason = null;
        boolean rolledBack = false;
        for (RolloutPlan.Wave wave : waves.waves()) {
            if (wave.number() > 1) {
                if (settings.wavePause().compareTo(java.time.Duration.ZERO) > 0) {
                    events.note("Pausing " + settings.wavePause().toSeconds() + "s before wave " + wave.number() + ".");
                    sleeper.sleep(settings.wavePause());
                }
                if (settings.confirmWaves() && !events.proceed(wave)) {
                    stopReason = "wave " + wave.number() + " was not confirmed";
                    break;
                }
            }
            events.waveStarting(wave, waves.waves().size());
            List<ResourceChange> changes = wave.addresses().stream().map(byAddress::get)
                    .filter(java.util.Objects::nonNull).toList();
            // recorded before anything is sent: a run killed during the wave or its check leaves the next apply
            // what it needs to finish the check and, if it fails, roll the rollout back
            int number = base + wave.number();
            List<RolloutProgress.Entry> entries = changes.stream().filter(c -> c.after() != null
                    && !c.after().certificateResource()).map(c -> new RolloutProgress.Entry(c.address(), number,
                    c.action().wireName(), c.before())).toList();
            progress = (progress == null ? new RolloutProgress(0, true, List.of()) : progress).starting(number,
                    entries);
            state = recordProgress(state, progress);
            ApplyResult result = applier.apply(plan.with(changes), state);
            results.add(result);
            state = result.state();
            if (result.interrupted() || result.exhausted() != null) {
                stopReason = result.interrupted() ? "interrupted" : result.exhausted().cause();
                return new Report(reports, verifications, results, state, stopReason, false, result.interrupted());
            }
            CrashPoint.reach("after-wave");
            Set<String> failedCalls = new HashSet<>();
            result.failures().forEach(f -> failedCalls.add(f.address()));
            result.skipped().forEach(failedCalls::add);
            List<ResourceChange> bound = changes.stream().filter(c -> c.after() != null
                    && !c.after().certificateResource() && !failedCalls.contains(c.address())).toList();
            applied.addAll(bound);
            List<Verification> found = List.of();
            if (verify) {
                State now = state;
                List<ResourceState> checked = new ArrayList<>();
                List<RolloutChecker.Target> targets = new ArrayList<>();
                for (ResourceChange c : bound) {
                    now.resource(c.address()).ifPresent(r -> {
                        checked.add(r);
                        targets.add(new RolloutChecker.Target(r, c.after()));
                    });
                }
                found = checker.check(targets);
                CrashPoint.reach("wave-check"); // the wave's check ran, its results not recorded yet
                found.forEach(events::verified);
                verifications.addAll(found);
                state = recordVerified(state, checked, found);
            }
            int failed = failedCalls.size() + (int) found.stream().filter(v -> !v.verified()).count();
            int domains = (int) changes.stream().filter(c -> c.after() == null || !c.after().certificateResource())
                    .count();
            WaveReport report = new WaveReport(wave.number(), domains, bound.size(),
                    (int) found.stream().filter(Verification::verified).count(), failed, 0);
            CrashPoint.reach("between-waves");
            // the check is complete: a failure is acted upon now (stop, or rollback), and a rollback cut short is
            // not begun again by the next run, which plans from the manifest (in waves, each checked)
            progress = progress.checkedOk();
            state = recordProgress(state, progress);
            if (failed > rollout.maxFailures()) {
                stopReason = "wave " + wave.number() + " had " + failed + " failure(s), more than max_failures ("
                        + rollout.maxFailures() + ")";
                if (rollout.onFailure() == RolloutSpec.OnFailure.ROLLBACK) {
                    Rollback.Outcome undone = rollback.undo(applied, state);
                    state = undone.state();
                    results.addAll(undone.results());
                    rolledBack = true;
                    reports = withRolledBack(reports, report, undone.rolledBack());
                } else {
                    reports.add(report);
                }
                events.waveDone(reports.get(reports.size() - 1));
                break;
            }
            reports.add(report);
            events.waveDone(report);
        }
        applier.deferCertificateDeletes(false);
        if (stopReason == null) {
            List<ResourceChange> last = new ArrayList<>();
            waves.afterWaves().stream().filter(a -> !doneEarly.contains(a)).map(byAddress::get)
                    .filter(java.util.Objects::nonNull).forEach(last::add);
            for (ResourceState r : state.resources()) {
                if (r.deposed() && r.certificateResource() && !byAddress.containsKey(r.key())) {
                    last.add(new ResourceChange(r.address(), Action.DELETE, Set.of(Reason.DEPOSED), r, null));
                }
            }
            if (!last.isEmpty()) {
                ApplyResult result = applier.apply(plan.with(last), state);
                results.add(result);
                state = result.state();
            }
            state = rollback.renameReplacements(plan, state, results);
        }
        state = recordProgress(state, null); // the rollout ended: done, stopped, or rolled back
        return new Report(reports, verifications, results, state, stopReason, rolledBack, false);
    }

    /** What {@link #resume} did: the state after it, and the report when the rollout ends there. */
    private record Resumed(State state, Report report) {
    }

    /**
     * Finishes an interrupted rollout's wave before anything else: its bindings whose check was never completed are
     * checked now; more failures than {@code max_failures} (a binding whose check cannot be made counts as one) roll
     * back every wave of the rollout with {@code on_failure: rollback}, or stop it with {@code stop}. Nothing new is
     * sent before.
     */
    private Resumed resume(RolloutProgress progress, State state, List<ResourceChange> bound,
                           Map<String, io.certform.plan.DesiredBinding> desired, List<WaveReport> reports,
                           List<Verification> verifications, List<ApplyResult> results)
            throws StateException, InterruptedException {
        RolloutSpec rollout = settings.rollout();
        if (progress.checked() || rollout.verify() != RolloutSpec.Verify.TLS) {
            return new Resumed(recordProgress(state, progress.checkedOk()), null);
        }
        List<ResourceState> unchecked = new ArrayList<>();
        List<RolloutChecker.Target> targets = new ArrayList<>();
        int uncheckable = 0;
        for (ResourceChange c : bound) {
            ResourceState r = state.resource(c.address()).orElseThrow();
            if (!r.verificationOwed()) {
                continue;
            }
            io.certform.verify.ExpectedLeaf expected = InterruptedRollout.applied(r, state);
            if (expected == null) {
                uncheckable++;
                continue;
            }
            unchecked.add(r);
            targets.add(new RolloutChecker.Target(r, expected, c.after()));
        }
        if (unchecked.isEmpty() && uncheckable == 0) {
            return new Resumed(recordProgress(state, progress.checkedOk()), null);
        }
        events.note("Rollout wave " + progress.wave() + " was interrupted before its check was done: "
                + (unchecked.size() + uncheckable) + " binding(s) it bound were applied and never checked; they are"
                + " checked first, and a failure rolls the rollout back per on_failure ("
                + rollout.onFailure().name().toLowerCase(java.util.Locale.ROOT) + ").");
        List<Verification> found = checker.check(targets);
        found.forEach(events::verified);
        verifications.addAll(found);
        state = recordVerified(state, unchecked, found);
        int failed = uncheckable + (int) found.stream().filter(v -> !v.verified()).count();
        WaveReport report = new WaveReport(0, unchecked.size() + uncheckable, 0, unchecked.size() + uncheckable
                - failed, failed, 0);
        if (failed <= rollout.maxFailures()) {
            reports.add(report);
            events.waveDone(report);
            return new Resumed(recordProgress(state, progress.checkedOk()), null);
        }
        String stopReason = "wave " + progress.wave() + " of the interrupted rollout had " + failed
                + " failure(s) in its check, more than max_failures (" + rollout.maxFailures() + "); no new wave was"
                + " started";
        boolean rolledBack = false;
        if (rollout.onFailure() == RolloutSpec.OnFailure.ROLLBACK) {
            Rollback.Outcome undone = rollback.undo(bound, state);
            state = undone.state();
            results.addAll(undone.results());
            rolledBack = true;
            report = new WaveReport(0, report.domains(), report.bound(), report.verified(), report.failed(),
                    undone.rolledBack().size());
        }
        reports.add(report);
        events.waveDone(report);
        state = recordProgress(state, null);
        return new Resumed(state, new Report(reports, verifications, results, state, stopReason, rolledBack,
                false));
    }

    /** Writes {@code progress} as the state's rollout in progress (null: none), unless it is already that. */
    private State recordProgress(State state, RolloutProgress progress) throws StateException {
        if (java.util.Objects.equals(state.rollout(), progress)) {
            return state;
        }
        State next = state.next(state.resources(), version).withRollout(progress);
        store.write(next);
        return next;
    }

    /** The waves done, each with how many of its domains were rolled back. */
    private static List<WaveReport> withRolledBack(List<WaveReport> done, WaveReport last, Set<String> rolledBack) {
        List<WaveReport> out = new ArrayList<>();
        int total = rolledBack.size();
        for (WaveReport w : done) {
            int n = w.number() == 0 ? 0 : Math.min(w.bound(), total);
            total -= n;
            out.add(new WaveReport(w.number(), w.domains(), w.bound(), w.verified(), w.failed(), n));
        }
        out.add(new WaveReport(last.number(), last.domains(), last.bound(), last.verified(), last.failed(),
                Math.min(last.bound(), total)));
        return out;
    }

    /** Records {@code verified_at} for the bindings the check saw serve their certificate (state only). */
    private State recordVerified(State state, List<ResourceState> checked, List<Verification> found)
            throws StateException {
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
