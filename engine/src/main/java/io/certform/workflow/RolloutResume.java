package io.certform.workflow;

import io.certform.apply.ApplyResult;
import io.certform.manifest.RolloutSpec;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.rollout.RolloutSettings;
import io.certform.state.ResourceState;
import io.certform.state.RolloutProgress;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.verify.ExpectedLeaf;
import io.certform.workflow.RolloutRun.Report;
import io.certform.workflow.RolloutRun.WaveReport;
import io.certform.verify.Verification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a rollout does before its first new wave when an earlier run left work behind: the wave an interrupted
 * rollout bound and never finished checking is checked (and, past {@code max_failures}, rolled back or stopped), and
 * bindings applied and never checked are checked. Nothing new is sent before. {@link RolloutRun} runs the waves.
 */
final class RolloutResume {

    private final RolloutSettings settings;
    private final RolloutChecker checker;
    private final Rollback rollback;
    private final RolloutRun.Events events;
    private final RolloutRecords records;

    RolloutResume(RolloutSettings settings, RolloutChecker checker, Rollback rollback, RolloutRun.Events events,
                  RolloutRecords records) {
        this.settings = settings;
        this.checker = checker;
        this.rollback = rollback;
        this.events = events;
        this.records = records;
    }

    /** What a resume or a check did: the state after it, and the report when the rollout ends there. */
    record Resumed(State state, Report report) {
    }

    /**
     * The bindings an interrupted rollout's waves bound and that still carry what it bound (a binding whose call
     * failed, or was never sent, still carries what it replaced and is left out), as changes a rollback undoes.
     */
    static List<ResourceChange> boundBy(RolloutProgress progress, State state, Map<String, DesiredBinding> desired) {
        List<ResourceChange> out = new ArrayList<>();
        for (RolloutProgress.Entry e : progress.bindings()) {
            ResourceState now = state.resource(e.address()).orElse(null);
            DesiredBinding want = desired.get(e.address());
            if (now == null || now.deposed() || want == null || want.certificateResource()) {
                continue;
            }
            if (e.replaced() != null && Objects.equals(e.replaced().sslId(), now.sslId())) {
                continue;
            }
            Action action;
            try {
                action = Action.fromWireName(e.action());
            } catch (RuntimeException unknown) {
                continue;
            }
            out.add(new ResourceChange(e.address(), action, Set.of(Reason.NOT_IN_STATE), e.replaced(), want));
        }
        return out;
    }

    /**
     * Finishes an interrupted rollout's wave before anything else: its bindings whose check was never completed are
     * checked now; more failures than {@code max_failures} (a binding whose check cannot be made counts as one) roll
     * back every wave of the rollout with {@code on_failure: rollback}, or stop it with {@code stop}. Nothing new is
     * sent before.
     */
    Resumed resume(RolloutProgress progress, State state, List<ResourceChange> bound,
                           Map<String, DesiredBinding> desired, List<WaveReport> reports,
                           List<Verification> verifications, List<ApplyResult> results)
            throws StateException, InterruptedException {
        RolloutSpec rollout = settings.rollout();
        if (progress.checked() || rollout.verify() != RolloutSpec.Verify.TLS) {
            return new Resumed(records.progress(state, progress.checkedOk()), null);
        }
        List<ResourceState> unchecked = new ArrayList<>();
        List<RolloutChecker.Target> targets = new ArrayList<>();
        int uncheckable = 0;
        for (ResourceChange c : bound) {
            ResourceState r = state.resource(c.address()).orElseThrow();
            if (!r.verificationOwed()) {
                continue;
            }
            ExpectedLeaf expected = applied(r, state);
            if (expected == null) {
                uncheckable++;
                continue;
            }
            unchecked.add(r);
            targets.add(new RolloutChecker.Target(r, expected, c.after()));
        }
        if (unchecked.isEmpty() && uncheckable == 0) {
            return new Resumed(records.progress(state, progress.checkedOk()), null);
        }
        events.note("Rollout wave " + progress.wave() + " was interrupted before its check was done: "
                + (unchecked.size() + uncheckable) + " binding(s) it bound were applied and never checked; they are"
                + " checked first, and a failure rolls the rollout back per on_failure ("
                + rollout.onFailure().name().toLowerCase(Locale.ROOT) + ").");
        List<Verification> found = checker.check(targets);
        found.forEach(events::verified);
        verifications.addAll(found);
        state = records.verified(state, unchecked, found);
        int failed = uncheckable + (int) found.stream().filter(v -> !v.verified()).count();
        WaveReport report = new WaveReport(0, unchecked.size() + uncheckable, 0, unchecked.size() + uncheckable
                - failed, failed, 0);
        if (failed <= rollout.maxFailures()) {
            reports.add(report);
            events.waveDone(report);
            return new Resumed(records.progress(state, progress.checkedOk()), null);
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
        state = records.progress(state, null);
        return new Resumed(state, new Report(reports, verifications, results, state, stopReason, rolledBack,
                false));
    }

    /**
     * Checks first the bindings an earlier run applied and never checked (a rollout interrupted after its wave's
     * check was recorded, or {@code verify: tls} new) and that this plan does not change: more failures than
     * {@code max_failures} end the rollout before any new wave.
     */
    Resumed checkOwed(Plan plan, State state, Map<String, DesiredBinding> desired, List<WaveReport> reports,
                      List<Verification> verifications, List<ApplyResult> results)
            throws StateException, InterruptedException {
        RolloutSpec rollout = settings.rollout();
        Set<String> changing = new HashSet<>();
        plan.changes().stream().filter(c -> c.action().changes()).forEach(c -> changing.add(c.address()));
        List<ResourceState> owed = state.resources().stream().filter(r -> !r.certificateResource()
                && !r.deposed() && r.verificationOwed() && !changing.contains(r.address())
                && desired.containsKey(r.address())).toList();
        State now = state;
        owed = owed.stream().filter(r -> applied(r, now) != null).toList();
        if (!owed.isEmpty()) {
            events.note(owed.size() + " binding(s) were applied and never checked (a rollout was interrupted, or"
                    + " verify: tls is new): they are checked first.");
            List<Verification> found = checker.check(owed.stream().map(r -> new RolloutChecker.Target(r,
                    applied(r, now), desired.get(r.address()))).toList());
            found.forEach(events::verified);
            verifications.addAll(found);
            state = records.verified(state, owed, found);
            int failed = (int) found.stream().filter(v -> !v.verified()).count();
            WaveReport report = new WaveReport(0, owed.size(), 0, owed.size() - failed, failed, 0);
            reports.add(report);
            events.waveDone(report);
            if (failed > rollout.maxFailures()) {
                return new Resumed(state, new Report(reports, verifications, results, state, failed
                        + " binding(s) applied by an earlier run do not serve their certificate; no new wave was"
                        + " started", false, false));
            }
        }
        return new Resumed(state, null);
    }

    /**
     * What an earlier run applied to this binding, as the state records it: its own certificate (per-domain), or
     * the shared certificate it is attached to. The check of an interrupted rollout looks for that, not for the
     * manifest's certificate (a rollback may have put the previous one back). Null when it is not known.
     */
    private static ExpectedLeaf applied(ResourceState r, State state) {
        ResourceState content = r;
        if (r.shared()) {
            content = state.resources().stream().filter(c -> c.certificateResource() && r.sslId() != null
                    && r.sslId().equals(c.sslId())).findFirst().orElse(null);
        }
        if (content == null || content.certSha256() == null || content.serialNumber() == null) {
            return null;
        }
        return new ExpectedLeaf(content.certSha256(), content.serialNumber());
    }
}
