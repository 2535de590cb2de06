package io.certform.cli;

import io.certform.apply.Applier;
import io.certform.apply.ApplyResult;
import io.certform.manifest.RolloutSpec;
import io.certform.workflow.RolloutRun;
import io.certform.apply.Recovery;
import io.certform.base.Exhaustion;
import io.certform.cli.view.ApplyView;
import io.certform.cli.view.HumanApplyView;
import io.certform.cli.view.JsonApplyView;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.rollout.RolloutPlan;
import io.certform.rollout.RolloutSettings;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.workflow.Operations;
import io.certform.workflow.SavedPlan;
import io.certform.workflow.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bind the manifest's certificates to their domains.",
                "Shows the plan and asks for 'yes' unless --auto-approve is given; with PLANFILE (from plan -out),"
                        + " applies exactly that plan without asking, or refuses it if it is stale."})
class ApplyCommand extends ManifestCommand {

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved by 'certform plan -out'.")
    Path planFile;

    @Option(names = {"--auto-approve", "-auto-approve"}, description = "Apply without asking for confirmation.")
    boolean autoApprove;

    @Mixin
    ApplySettings calls;

    @Option(names = {"--json", "-json"}, description = "Print one JSON object per line per event (needs --auto-approve or PLANFILE).")
    boolean json;

    @Option(names = {"--compact", "-compact"},
            description = "Show the plan one line per change (address and action), for plans of thousands of bindings.")
    boolean compact;

    @Mixin
    PlanningOptions planning;

    @Mixin
    LockOptions locking;

    @Mixin
    RolloutOptions rollout;

    @Override
    public boolean jsonOutput() {
        return json;
    }

    /** Whether this run removes every binding (destroy) instead of applying the manifest. */
    boolean destroying() {
        return false;
    }

    String operation() {
        return "apply";
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        calls.check();
        if (json && compact) {
            throw new CliException(Main.ERROR, "--compact shapes the text output only; it cannot be combined with"
                    + " --json. Drop one of them.");
        }
        if (json && !autoApprove && planFile == null) {
            throw new CliException(Main.ERROR, "--json needs --auto-approve or a saved plan: a JSON stream cannot ask"
                    + " for confirmation.");
        }
        Rollouts.refuseWhatTheRunCannotTake(rollout, destroying(), planFile != null);
        SavedPlan.File saved = null;
        if (planFile != null) {
            SavedPlanInputs.refuseOptionsThePlanFixes(this, destroying());
            try {
                saved = SavedPlan.read(planFile);
            } catch (SavedPlan.StaleException e) {
                throw new CliException(Main.ERROR, e.getMessage());
            }
            common.file = SavedPlanInputs.manifest(saved, planFile, given("--file"), common.file);
        }
        Workspace workspace = workspace();
        RolloutSettings rolloutSettings = Rollouts.settings(rollout, workspace.manifest(), context.stdinTerminal());
        try (StateStore.Held lock = locking.acquire(workspace.stateStore(), operation(), context::note);
             ProviderSession session = session(workspace, workspace.desired(), calls.parallelism, calls.timeouts())) {
            Recovery.Outcome recovered = Operations.recover(workspace, session, calls.backoff(), context.clock(),
                    calls.settleWindow(), Version.VALUE, context::note);
            if (recovered.any() && saved != null) {
                throw new CliException(Main.ERROR, "Saved plan is stale: an interrupted run was recovered first ("
                        + describe(recovered) + "), which changed the state. Run plan again; nothing was sent.");
            }
            ApplyView view = json ? new JsonApplyView(context.out())
                    : planning.refresh || saved != null
                    ? new HumanApplyView(context.out(), context.err(), style(), operation(), context.clock())
                            .onTerminal(context.terminal())
                    : new HumanApplyView(context.out(), context.err(), style(), operation(), context.clock())
                            .onTerminal(context.terminal()).withoutRefresh();
            if (compact && view instanceof HumanApplyView human) {
                human.compact();
            }
            if (recovered.any()) {
                view.note("Recovered an interrupted run: " + describe(recovered) + ".");
            }
            Operations.Planned planned;
            if (saved != null) {
                try {
                    planned = SavedPlan.verify(saved, workspace);
                } catch (SavedPlan.StaleException e) {
                    throw new CliException(Main.ERROR, e.getMessage());
                }
            } else {
                planned = Operations.plan(workspace, session, planning.options(destroying())
                        .settling(calls.settleWindow(), context.clock()).readingGroups(calls.parallelism)
                        .rollingOut(rolloutSettings.active()));
                if (!planned.diagnostics().isEmpty()) {
                    diagnosticsView().render(planned.diagnostics());
                }
                if (!planned.ok()) {
                    return Main.ERROR;
                }
            }
            // an interrupted rollout (recorded in the state) is finished first: its wave's check, or its rollback
            boolean rolloutOpen = !destroying() && planned.prior().rollout() != null;
            RolloutPlan waves = !destroying() && (rolloutSettings.active() || rolloutOpen)
                    ? RolloutPlan.of(planned.plan(), rolloutSettings.rollout()) : null;
            view.rollingOut(rolloutSettings.active() ? waves : null).planned(planned.plan(), planned.drift(),
                    context.clock().instant());
            boolean checksOwed = waves != null && (rolloutOpen || rolloutSettings.rollout().verify()
                    == RolloutSpec.Verify.TLS && planned.prior().resources().stream()
                    .anyMatch(r -> r.verificationOwed() && !r.deposed()));
            if (!planned.plan().hasChanges() && !checksOwed) {
                if (planned.refreshChangedState()) {
                    Operations.recordRefresh(workspace, planned, Version.VALUE);
                }
                if (destroying()) {
                    view.note("Nothing to destroy: no binding that this run selects is recorded in "
                            + workspace.stateStore().describe() + ".");
                }
                return Main.OK;
            }
            if (saved == null && !autoApprove && !confirm()) {
                context.out().println();
                context.out().println((destroying() ? "Destroy" : "Apply") + " cancelled.");
                return Main.ERROR;
            }
            if (!json) {
                context.out().println();
            }
            Applier applier = Operations.applier(workspace, session, calls.settings(), context.clock(), view,
                    Version.VALUE);
            if (view instanceof HumanApplyView human) {
                human.startTicking();
            }
            ApplyResult result;
            RolloutRun.Report report = null;
            try (Interrupts interrupts = Interrupts.during(context, applier::requestStop);
                 LowMemory low = context.ownsProcess() ? LowMemory.during(() -> applier.stopFor(Exhaustion.MEMORY))
                         : null) {
                if (waves != null && (!waves.onePass() || checksOwed)) {
                    report = rollout(workspace, applier, rolloutSettings, planned, waves, view);
                    result = ApplyResult.combine(report.results(), planned.prior());
                } else {
                    result = applier.apply(planned.plan(), planned.prior());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Main.INTERRUPTED;
            }
            if (report != null) {
                view.rolloutReport(report);
                if (rolloutSettings.notifyUrl() != null) {
                    Notifier.post(rolloutSettings.notifyUrl(), report, context::note);
                }
            }
            view.summary(result, workspace.stateStore().describe());
            if (report != null && report.stopReason() != null && !report.interrupted()) {
                context.err().println(style().red("Error: ") + "the rollout stopped: " + report.stopReason()
                        + (report.rolledBack() ? "; the waves done were rolled back." : ".")
                        + " What was done is recorded; fix the cause and run apply again.");
                return Main.ERROR;
            }
            if (result.failures().stream().anyMatch(f -> f.error().isAuthFailure())) {
                context.err().println(style().red("Error: ") + "the gateway refused the credentials in use ("
                        + session.describeCredentials() + "); no further call was started. Fix them and run apply"
                        + " again: what succeeded is recorded.");
            }
            if (result.exhausted() != null) {
                throw new CliException(Main.ERROR, stoppedBy(result.exhausted(), workspace.stateStore().describe(),
                        result.unknown().size()));
            }
            if (result.interrupted()) {
                return Main.INTERRUPTED;
            }
            return result.ok() ? Main.OK : Main.ERROR;
        }
    }

    /** Runs the plan in waves, each checked before the next, through the view's events. */
    private RolloutRun.Report rollout(Workspace workspace, Applier applier, RolloutSettings settings,
                                      Operations.Planned planned, RolloutPlan waves, ApplyView view)
            throws StateException, InterruptedException {
        java.util.Map<String, io.certform.plan.DesiredBinding> desired = new java.util.HashMap<>();
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
                context.out().print("Start wave " + next.number() + " (" + next.addresses().size()
                        + " change(s))? [y/N] ");
                context.out().flush();
                try {
                    String answer = context.in().readLine();
                    String a = answer == null ? "" : answer.strip().toLowerCase(java.util.Locale.ROOT);
                    return a.equals("y") || a.equals("yes"); // as --confirm-waves' help says: y/N
                } catch (IOException e) {
                    return false;
                }
            }
        };
        return new RolloutRun(workspace, applier, settings, context.clock(), io.certform.base.Sleeper.SYSTEM, events,
                calls.parallelism, Version.VALUE).run(planned.plan(), planned.prior(), waves, desired);
    }

    /** Why a run stopped early, what it kept, and what to do: the end of a run that ran out of something. */
    private String stoppedBy(Exhaustion what, String stateFile, int unknown) {
        String remedy = what.remedy();
        return what.cause() + ": no new call was started, the calls in flight were settled, and everything done is"
                + " recorded in " + stateFile + (what == Exhaustion.DISK ? " and its journal" : "") + ". "
                + (unknown == 0 ? "" : unknown + " call(s) cut short stay in the journal; the next run looks at"
                + " their domains first and sends none of them again. ")
                + Character.toUpperCase(remedy.charAt(0)) + remedy.substring(1) + (what == Exhaustion.DISK
                ? " (" + stateFile + ")" : "") + ", then run " + operation() + " again: it resumes where this one"
                + " stopped.";
    }

    private static String describe(Recovery.Outcome r) {
        return r.replayed() + " result(s) replayed, " + r.adopted() + " call(s) found to have landed and adopted, "
                + r.voided() + " found not to have happened, " + r.unbound() + " removal(s) confirmed";
    }

    private boolean confirm() throws IOException {
        context.out().println();
        context.out().println(style().bold(destroying() ? "Do you really want to destroy these bindings?"
                : "Do you want to perform these actions?"));
        context.out().println("  certform will perform the actions described above.");
        context.out().println("  Only 'yes' will be accepted to approve.");
        context.out().println();
        context.out().print("  Enter a value: ");
        context.out().flush();
        String answer = context.in().readLine();
        if (answer == null) {
            throw new CliException(Main.ERROR, "no answer on standard input; nothing was changed."
                    + " Pass --auto-approve to apply without asking (as in CI).");
        }
        return answer.trim().equals("yes");
    }
}
