package io.certform.workflow;

import io.certform.apply.ApplyRunner;
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
import io.certform.state.State;
import io.certform.state.StateException;
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
    public record WaveReport(int number, int domains, int bound, int verified, int failed, int rolledBack,
                             String provider) {
        /** A wave by size, or the check of earlier changes. */
        public WaveReport(int number, int domains, int bound, int verified, int failed, int rolledBack) {
            this(number, domains, bound, verified, failed, rolledBack, null);
        }
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

    private final ApplyRunner applier;
    private final RolloutSettings settings;
    private final RolloutChecker checker;
    private final Rollback rollback;
    private final Sleeper sleeper;
    private final Events events;
    private final RolloutRecords records;
    private final RolloutResume resume;

    public RolloutRun(Workspace workspace, ApplyRunner applier, RolloutSettings settings, Clock clock, Sleeper sleeper,
                      Events events, int parallelism, String version) {
        this.applier = applier;
        this.settings = settings;
        this.checker = new RolloutChecker(settings.rollout(), clock, sleeper, parallelism);
        this.rollback = new Rollback(workspace, applier, workspace.stateStore(), clock, version);
        this.sleeper = sleeper;
        this.events = events;
        this.records = new RolloutRecords(applier, workspace.stateStore(), version);
        this.resume = new RolloutResume(settings, checker, rollback, events, records);
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
            applied.addAll(RolloutResume.boundBy(progress, state, desired));
            RolloutResume.Resumed resumed = resume.resume(progress, state, applied, desired, reports, verifications,
                    results);
            state = resumed.state();
            if (resumed.report() != null) {
                return resumed.report();
            }
            progress = state.rollout();
        }
        if (verify) {
            RolloutResume.Resumed owed = resume.checkOwed(plan, state, desired, reports, verifications, results);
            state = owed.state();
            if (owed.report() != null) {
                return owed.report();
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
            state = records.progress(state, progress);
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
                state = records.verified(state, checked, found);
            }
            int failed = failedCalls.size() + (int) found.stream().filter(v -> !v.verified()).count();
            int domains = (int) changes.stream().filter(c -> c.after() == null || !c.after().certificateResource())
                    .count();
            WaveReport report = new WaveReport(wave.number(), domains, bound.size(),
                    (int) found.stream().filter(Verification::verified).count(), failed, 0, wave.provider());
            CrashPoint.reach("between-waves");
            // the check is complete: a failure is acted upon now (stop, or rollback), and a rollback cut short is
            // not begun again by the next run, which plans from the manifest (in waves, each checked)
            progress = progress.checkedOk();
            state = records.progress(state, progress);
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
        state = records.progress(state, null); // the rollout ended: done, stopped, or rolled back
        return new Report(reports, verifications, results, state, stopReason, rolledBack, false);
    }

    /** The waves done, each with how many of its domains were rolled back. */
    private static List<WaveReport> withRolledBack(List<WaveReport> done, WaveReport last, Set<String> rolledBack) {
        List<WaveReport> out = new ArrayList<>();
        int total = rolledBack.size();
        for (WaveReport w : done) {
            int n = w.number() == 0 ? 0 : Math.min(w.bound(), total);
            total -= n;
            out.add(new WaveReport(w.number(), w.domains(), w.bound(), w.verified(), w.failed(), n, w.provider()));
        }
        out.add(new WaveReport(last.number(), last.domains(), last.bound(), last.verified(), last.failed(),
                Math.min(last.bound(), total), last.provider()));
        return out;
    }


}
