package io.certform.workflow;

import io.certform.manifest.CertificateSpec;

import io.certform.apply.Applier;
import io.certform.apply.ApplyRunner;
import io.certform.provider.ProviderSession;
import io.certform.apply.ApplyResult;
import io.certform.base.Sleeper;
import io.certform.diag.Diagnostics;
import io.certform.manifest.RolloutSpec;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderException;
import io.certform.rollout.RolloutPlan;
import io.certform.rollout.RolloutSettings;
import io.certform.state.StateException;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * One apply (or destroy), from the lock to the notification, as Terraform's local backend runs an operation: lock,
 * session and recovery ({@link LockedSession}); the saved plan verified, or a plan made; nothing to do, or the
 * plan approved ({@link Approval}); the plan applied at once or rolled out in waves (checks owed by an interrupted
 * rollout first); the rollout's summary posted. What happens is shown through {@link ApplyProgress}; the result
 * is returned for the command to render. It never prints.
 */
public final class ApplyOperation {

    /** What the command line gives an apply besides the lock and the session. */
    public interface ApplyHost extends Host {

        /** The plan's diagnostics (warnings, or the errors that stop it), shown before the plan. */
        void diagnostics(Diagnostics diagnostics);

        /** The plan is approved (asked, or given by a saved plan or --auto-approve); the applier comes next. */
        void approved();

        /**
         * The run begins: until the watch is closed, an interrupt or memory running low asks the applier to stop
         * starting new calls.
         */
        Watch applying(ApplyRunner applier);

        /** Posts the rollout's summary to {@code url} (--notify); a webhook that fails is a note, not an error. */
        void notify(URI url, RolloutRun.Report report);

        /** Where {@code ${env:}} and the PostgreSQL variables are read (the key store's location). */
        default io.certform.base.Environment environment() {
            return io.certform.base.Environment.system();
        }

        /** How ACME orders are polled and waited for (tests make it faster). */
        default io.certform.acme.AcmeIssuer.Settings acmeSettings() {
            return io.certform.acme.AcmeIssuer.Settings.DEFAULTS;
        }
    }

    /** Watches the run until closed. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * What to do.
     *
     * @param operation  {@code apply} or {@code destroy}: the lock's operation, and the command to run again
     * @param saved      a plan saved by {@code plan -out}, applied exactly and without asking; null to plan now
     * @param planning   how to plan (without the run's settle window, group reads and rollout, added here)
     */
    public record Request(Workspace workspace, String operation, boolean destroying, SavedPlan.File saved,
                          Operations.PlanOptions planning, RolloutSettings rollout, Applier.Settings calls,
                          Clock clock, String version) {
    }

    /** How the operation ended. */
    public enum Outcome {
        /** The plan has errors (its diagnostics were shown); nothing was sent. */
        PLAN_FAILED,
        /** Nothing to change and no check owed. */
        NOTHING_TO_DO,
        /** The person did not approve the plan; nothing was sent. */
        CANCELLED,
        /** Interrupted while applying; what was done is recorded. */
        INTERRUPTED,
        /** Applied (or rolled out): {@code applied} says how it went. */
        APPLIED
    }

    /**
     * @param applied     what the apply did (with a rollout, every wave's results combined); null unless APPLIED
     * @param report      the rollout's report, or null for a plan applied at once
     * @param credentials the credentials in use, in words (never a secret), for a refusal of them
     */
    public record Result(Outcome outcome, ApplyResult applied, RolloutRun.Report report, String credentials) {
        static Result of(Outcome outcome) {
            return new Result(outcome, null, null, null);
        }
    }

    private ApplyOperation() {
    }

    public static Result run(Request request, ApplyHost host, ApplyProgress view, Approval approval)
            throws StateException, ProviderException, IOException, SavedPlan.StaleException {
        Workspace workspace = request.workspace();
        Applier.Settings calls = request.calls();
        if (!request.destroying() && request.saved() != null && !workspace.issuance().isEmpty()) {
            host.diagnostics(issuanceRefused(workspace));
            return Result.of(Outcome.PLAN_FAILED);
        }
        try (LockedSession run = LockedSession.open(workspace, request.operation(), host, calls.backoff(),
                calls.settleWindow(), request.clock(), request.version())) {
            if (run.recovered().any() && request.saved() != null) {
                throw new SavedPlan.StaleException("Saved plan is stale: an interrupted run was recovered first ("
                        + LockedSession.describe(run.recovered()) + "), which changed the state. Run plan again;"
                        + " nothing was sent.");
            }
            if (run.recovered().any()) {
                view.note("Recovered an interrupted run: " + LockedSession.describe(run.recovered()) + ".");
            }
            if (!request.destroying() && request.saved() == null) { // ACME: issue what is due, then plan with it
                try {
                    workspace = AcmeIssuance.run(workspace, run.session(), host.environment(), request.clock(),
                            host.acmeSettings(), view::note);
                    request = new Request(workspace, request.operation(), false, null, request.planning(),
                            request.rollout(), calls, request.clock(), request.version());
                } catch (AcmeIssuance.Failed e) {
                    host.diagnostics(e.diagnostics);
                    return Result.of(Outcome.PLAN_FAILED);
                }
            }
            Operations.Planned planned;
            if (request.saved() != null) {
                planned = SavedPlan.verify(request.saved(), workspace);
            } else {
                planned = Operations.plan(workspace, run.fleet(), request.planning()
                        .settling(calls.settleWindow(), request.clock()).readingGroups(calls.parallelism())
                        .rollingOut(request.rollout().active()));
                if (!planned.diagnostics().isEmpty()) {
                    host.diagnostics(planned.diagnostics());
                }
                if (!planned.ok()) {
                    return Result.of(Outcome.PLAN_FAILED);
                }
            }
            return apply(request, run.fleet(), planned, host, view, approval);
        }
    }

    /**
     * The refusal of a saved plan while entries issued by ACME are due: the plan could not know the certificate the
     * CA will issue, so the saved plan cannot say what is bound. Nothing is locked, written or sent.
     */
    private static io.certform.diag.Diagnostics issuanceRefused(Workspace workspace) {
        io.certform.diag.Diagnostics d = new io.certform.diag.Diagnostics();
        for (io.certform.plan.Pending.Issuance i : workspace.issuance()) {
            CertificateSpec spec = workspace.manifest().certificates().stream()
                    .filter(c -> c.key().equals(i.certificate())).findFirst().orElseThrow();
            d.error(spec.acme().range(), "certificate '" + spec.key() + "' " + i.action() + ": a saved plan cannot"
                    + " apply an ACME issuance", "The certificate the CA issues is known only after it is issued,"
                    + " so no saved plan can hold its bindings: run 'certform apply' without a plan file (it issues,"
                    + " then plans and applies in one step). Nothing was locked, written or sent.");
        }
        return d;
    }

    private static Result apply(Request request, Fleet fleet, Operations.Planned planned, ApplyHost host,
                                ApplyProgress view, Approval approval)
            throws StateException, ProviderException, IOException {
        Workspace workspace = request.workspace();
        RolloutSettings settings = request.rollout();
        boolean destroying = request.destroying();
        // an interrupted rollout (recorded in the state) is finished first: its wave's check, or its rollback
        boolean rolloutOpen = !destroying && planned.prior().rollout() != null;
        RolloutPlan waves = !destroying && (settings.active() || rolloutOpen)
                ? RolloutPlan.of(planned.plan(), settings.rollout()) : null;
        view.rollingOut(settings.active() ? waves : null).planned(planned.plan(), planned.drift(),
                request.clock().instant());
        boolean checksOwed = waves != null && (rolloutOpen || settings.rollout().verify() == RolloutSpec.Verify.TLS
                && planned.prior().resources().stream().anyMatch(r -> r.verificationOwed() && !r.deposed()));
        if (!planned.plan().hasChanges() && !checksOwed) {
            if (planned.refreshChangedState()) {
                RefreshOperation.record(workspace, planned, request.version());
            }
            if (destroying) {
                view.note("Nothing to destroy: no binding that this run selects is recorded in "
                        + workspace.stateStore().describe() + ".");
            }
            return Result.of(Outcome.NOTHING_TO_DO);
        }
        if (request.saved() == null && !approval.confirm(destroying)) {
            return Result.of(Outcome.CANCELLED);
        }
        host.approved();
        // a fleet: each provider's changes side by side, each on its own pool, client and settings
        // (only the providers with changes: one the plan leaves alone needs no client, nor credentials)
        java.util.Set<String> changing = new java.util.LinkedHashSet<>();
        planned.plan().changes().stream().filter(c -> c.action().changes()).forEach(c -> changing.add(c.provider()));
        java.util.Map<String, ProviderSession> sessions = new java.util.LinkedHashMap<>(fleet.sessions());
        sessions.keySet().retainAll(changing);
        ApplyRunner applier = sessions.size() > 1
                ? Operations.fleetApplier(workspace, sessions, request.calls(), request.clock(), view)
                : Operations.applier(workspace, sessions.isEmpty() ? fleet.first() : sessions.values().iterator().next(),
                request.calls(), request.clock(), view, request.version());
        ApplyResult result;
        RolloutRun.Report report = null;
        try (Watch watch = host.applying(applier)) {
            if (waves != null && (!waves.onePass() || checksOwed)) {
                report = rollout(request, applier, planned, waves, view, approval);
                result = ApplyResult.combine(report.results(), planned.prior());
            } else {
                result = applier.apply(planned.plan(), planned.prior());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Result.of(Outcome.INTERRUPTED);
        }
        if (report != null) {
            view.rolloutReport(report);
            if (settings.notifyUrl() != null) {
                host.notify(settings.notifyUrl(), report);
            }
        }
        return new Result(Outcome.APPLIED, result, report, fleet.first().describeCredentials());
    }

    /** Runs the plan in waves, each checked before the next, through the view's events. */
    private static RolloutRun.Report rollout(Request request, ApplyRunner applier, Operations.Planned planned,
                                             RolloutPlan waves, ApplyProgress view, Approval approval)
            throws StateException, InterruptedException {
        Map<String, DesiredBinding> desired = new HashMap<>();
        planned.plan().changes().stream().filter(c -> c.after() != null).forEach(c -> desired.put(c.address(),
                c.after()));
        RolloutRun.Events events = new RolloutRun.Events() {
            @Override
            public void waveStarting(RolloutPlan.Wave wave, int total) {
                view.waveStarting(wave, total);
            }

            @Override
            public void verified(io.certform.verify.Verification verification) {
                view.verified(verification);
            }

            @Override
            public void waveDone(RolloutRun.WaveReport report) {
                view.waveDone(report);
            }

            @Override
            public void note(String text) {
                view.note(text);
            }

            @Override
            public boolean proceed(RolloutPlan.Wave next) {
                return approval.nextWave(next);
            }
        };
        return new RolloutRun(request.workspace(), applier, request.rollout(), request.clock(), Sleeper.SYSTEM, events,
                request.calls().parallelism(), request.version()).run(planned.plan(), planned.prior(), waves, desired);
    }
}
