package io.certform.workflow;

import io.certform.api.GatewayClient;
import io.certform.apply.Applier;
import io.certform.apply.FleetApplier;
import io.certform.base.Sleeper;
import io.certform.apply.ApplyListener;
import io.certform.diag.Diagnostics;
import io.certform.manifest.CertificateSpec;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.DesiredPattern;
import io.certform.plan.Pending;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.plan.ResourceChange;
import io.certform.plan.Targets;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.JournalRecord;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plan and apply over a loaded {@link Workspace}. */
public final class Operations {

    /** The settle window of commands that make no call of their own: 3 x the default call timeout. */
    public static final Duration DEFAULT_SETTLE_WINDOW = Applier.Settings.settleWindowFor(
            GatewayClient.Timeouts.DEFAULT.call());

    /** How many API groups a plan reads at once. */
    static final int GROUP_READS = 16;
    /**
     * The most groups an apply reads at once, whatever its --parallelism: reads are small and a plan's reads come
     * before any write, so more at once buys little and only adds throttling and memory in flight.
     */
    static final int MAX_GROUP_READS = 64;

    private Operations() {
    }

    /**
     * How to plan.
     *
     * @param destroy    plan the removal of every recorded binding instead of the manifest
     * @param refresh    read the remote side first, and plan drift back to the manifest
     * @param groupReads how many API groups are read at once ({@code apply} reads them at its --parallelism)
     */
    public record PlanOptions(boolean destroy, boolean refresh, Targets targets, Duration settleWindow, Clock clock,
                              int groupReads, boolean rollout, List<String> replace) {
        public PlanOptions {
            replace = replace == null ? List.of() : List.copyOf(replace);
        }

        public PlanOptions(boolean destroy, boolean refresh, Targets targets, Duration settleWindow, Clock clock,
                           int groupReads, boolean rollout) {
            this(destroy, refresh, targets, settleWindow, clock, groupReads, rollout, List.of());
        }

        public PlanOptions(boolean destroy, boolean refresh, Targets targets, Duration settleWindow, Clock clock,
                           int groupReads) {
            this(destroy, refresh, targets, settleWindow, clock, groupReads, false);
        }

        /** The same, re-uploading and re-binding these addresses ({@code -replace}). */
        public PlanOptions replacing(List<String> addresses) {
            return new PlanOptions(destroy, refresh, targets, settleWindow, clock, groupReads, rollout, addresses);
        }

        public PlanOptions(boolean destroy, boolean refresh, Targets targets) {
            this(destroy, refresh, targets, DEFAULT_SETTLE_WINDOW, Clock.systemUTC(), GROUP_READS);
        }

        public static PlanOptions defaults() {
            return new PlanOptions(false, true, Targets.none());
        }

        /** The same, with the settle window of the run (a binding seen bound more recently may not show yet). */
        public PlanOptions settling(Duration window, Clock now) {
            return new PlanOptions(destroy, refresh, targets, window, now, groupReads, rollout, replace);
        }

        /** The same, reading {@code parallelism} groups at once (never fewer than the default, nor more than 64). */
        public PlanOptions readingGroups(int parallelism) {
            return new PlanOptions(destroy, refresh, targets, settleWindow, clock,
                    Math.min(MAX_GROUP_READS, Math.max(GROUP_READS, parallelism)), rollout, replace);
        }

        /**
         * The same, planned for a rollout in waves (apply's flags asked for one): a shared certificate's rotation
         * is a new certificate resource attached wave by wave ({@link Planner#forRollout}). A manifest with a
         * {@code rollout:} block is planned so whatever this says.
         */
        public PlanOptions rollingOut(boolean value) {
            return new PlanOptions(destroy, refresh, targets, settleWindow, clock, groupReads, value, replace);
        }
    }

    /**
     * A plan and the state it was made against.
     *
     * @param plan     null when {@code diagnostics} has errors
     * @param prior    the state as refreshed from the remote side (the recorded state without refresh)
     * @param recorded the state file as read
     * @param drift    what the refresh found changed outside certform, by address
     */
    public record Planned(Plan plan, State prior, State recorded, Map<String, Drift> drift, Diagnostics diagnostics,
                          List<DesiredPattern.Selection> selections, Pending pending) {
        public Planned {
            selections = selections == null ? List.of() : List.copyOf(selections);
            pending = pending == null ? Pending.NONE : pending;
        }

        public Planned(Plan plan, State prior, State recorded, Map<String, Drift> drift, Diagnostics diagnostics,
                       List<DesiredPattern.Selection> selections) {
            this(plan, prior, recorded, drift, diagnostics, selections, Pending.NONE);
        }

        public Planned(Plan plan, State prior, State recorded, Map<String, Drift> drift, Diagnostics diagnostics) {
            this(plan, prior, recorded, drift, diagnostics, List.of());
        }

        /**
         * The plan has changes, or something it cannot know yet ({@link Pending}): what {@code plan
         * --detailed-exitcode} reports as 2.
         */
        public boolean changesOrUnknowns() {
            return plan != null && (plan.hasChanges() || pending.any());
        }

        public boolean ok() {
            return plan != null && !diagnostics.hasErrors();
        }

        /** The refresh found something the state should record even when nothing is to change. */
        public boolean refreshChangedState() {
            return !prior.resources().equals(recorded.resources());
        }
    }

    /** A plan of one gateway: {@code session}'s provider's. */
    public static Planned plan(Workspace workspace, ProviderSession session, PlanOptions options)
            throws StateException, ProviderException {
        return plan(workspace, Fleet.of(session), options);
    }

    /**
     * Plans the manifest against the state and, provider by provider, the gateway of each (read side by side):
     * one plan of every provider's changes.
     */
    public static Planned plan(Workspace workspace, Fleet fleet, PlanOptions options)
            throws StateException, ProviderException {
        Diagnostics diagnostics = new Diagnostics();
        State recorded = workspace.stateStore().read();
        List<JournalRecord> records = workspace.stateStore().journal();
        java.util.Set<String> unsettled = new java.util.TreeSet<>();
        List<Pending.Unknown> unknowns = new java.util.ArrayList<>();
        if (!records.isEmpty()) {
            // An interrupted run: plan sees its results (replayed in memory; plan writes nothing).
            recorded = JournalRecord.replay(recorded, records);
            for (JournalRecord.Intent intent : JournalRecord.openIntents(records)) {
                unsettled.add(intent.key()); // a deposed object's key, the live one's address
                unknowns.add(new Pending.Unknown(intent.key(), intent.planned().urlDomain(), intent.op().wire(),
                        intent.planned().sslName(), intent.at()));
                diagnostics.warning(null, intent.key() + ": a call sent at " + intent.at() + " by an earlier run"
                                + " never got its answer, and may still take effect",
                        "It is not planned now: the next apply settles it first (it looks at the domain, never"
                                + " sends it again), then plans it.");
            }
        }
        Targets targets = options.targets();
        for (String bad : targets.invalid()) {
            diagnostics.error(null, "'" + bad + "' is not a resource address",
                    Targets.FORMS);
        }
        if (diagnostics.hasErrors()) {
            return new Planned(null, recorded, recorded, Map.of(), diagnostics);
        }
        State prior;
        Map<String, Drift> drift;
        Map<String, io.certform.state.ResourceState> inPlace;
        List<DesiredBinding> desired;
        List<DesiredPattern.Selection> selections;
        try {
            FleetRead.Read read = FleetRead.read(workspace, fleet, options, recorded, unsettled, diagnostics);
            prior = read.prior();
            drift = read.drift();
            inPlace = read.inPlace();
            desired = read.desired();
            selections = read.selections();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while reading the remote side; nothing was changed.", e);
        }
        if (targets.active()) {
            prior = Targets.mergeRefreshed(recorded, prior, targets);
        }
        for (DesiredBinding binding : desired) {
            Drift gone = drift.get(binding.address());
            if (gone != null && gone.kind() == Drift.Kind.DOMAIN_GONE && targets.selects(binding.address())) {
                diagnostics.error(binding.range(), binding.address() + ": the domain " + gone.recorded().domainId()
                                + " is no longer bound to group " + binding.groupId() + " (changed outside certform)",
                        "Bind the domain to the group again, or remove this binding from the manifest.");
            }
        }
        if (diagnostics.hasErrors()) {
            return new Planned(null, prior, recorded, drift, diagnostics, selections);
        }
        Plan plan = Planner.plan(desired, prior, drift, options.destroy(), inPlace)
                .attachingInChunksOf(workspace.manifest().provider().attachChunk());
        if (!options.destroy() && (options.rollout() || workspace.manifest().rollout().declared())) {
            plan = Planner.forRollout(plan);
        }
        Plan untargeted = plan;
        plan = targets.filter(plan);
        for (ResourceChange change : plan.changes()) {
            Drift d = drift.get(change.key());
            if (change.reasons().contains(io.certform.plan.Reason.FOREIGN_LEFT_ALONE) && d != null && d.found() != null) {
                diagnostics.warning(null, change.address() + ": the domain carries ssl_id " + d.found().sslId()
                                + " (name " + d.found().sslName() + "), which certform did not bind: it is left alone",
                        "The certificate certform bound (ssl_id " + change.before().sslId() + ") is no longer on the"
                                + " domain, so only the state forgets the binding. Remove the other certificate by hand"
                                + " if it should go.");
            }
        }
        if (!options.replace().isEmpty()) {
            List<String> problems = new java.util.ArrayList<>();
            for (String address : options.replace()) {
                boolean outside = targets.active() && plan.changes().stream()
                        .noneMatch(c -> c.address().equalsIgnoreCase(address))
                        && untargeted.changes().stream().anyMatch(c -> c.address().equalsIgnoreCase(address));
                if (outside) {
                    problems.add("-replace " + address + ": the binding is outside -target/-exclude, so this plan"
                            + " leaves it alone; add it to -target (or leave out -target) to replace it");
                }
            }
            io.certform.plan.Replacements.problems(plan, options.replace()).stream()
                    .filter(p -> problems.stream().noneMatch(q -> q.startsWith(p.substring(0, p.indexOf(':') + 1))))
                    .forEach(problems::add);
            // the run's last line says that nothing was changed: the message says only what is wrong
            problems.forEach(p -> diagnostics.error(null, p, null));
            if (!problems.isEmpty()) {
                return new Planned(null, prior, recorded, drift, diagnostics, selections);
            }
            plan = io.certform.plan.Replacements.force(plan, options.replace());
        }
        if (!unsettled.isEmpty()) {
            // an object deposed for a replacement whose new half is unsettled waits for it: removing it could leave
            // the domain bare
            plan = plan.with(plan.changes().stream().filter(c -> !unsettled.contains(c.key())
                    && !unsettled.contains(c.address())).toList());
        }
        if (targets.active()) {
            diagnostics.warning(null, "Resource targeting is in effect",
                    "The plan may be partial: only the selected bindings are planned, and changes to the others are"
                            + " neither shown nor made. Use --target and --exclude for exceptional situations, not"
                            + " routine operation.");
            for (String target : targets.targets()) {
                boolean any = desired.stream().anyMatch(d -> new Targets(List.of(target), List.of()).selects(d.address()))
                        || prior.resources().stream()
                        .anyMatch(r -> new Targets(List.of(target), List.of()).selects(r.address()));
                if (!any) {
                    diagnostics.warning(null, "--target " + target + " matches no binding",
                            "Check the address with 'certform state list' or the manifest's certificate keys.");
                }
            }
        }
        if (!options.destroy()) {
            ExpiryHold.check(workspace.expiryHolds(), plan, diagnostics);
        }
        for (io.certform.plan.Downgrade d : io.certform.plan.Downgrade.of(plan)) {
            diagnostics.warning(null, d.summary(), "This looks like a downgrade to an older certificate: it is planned"
                    + " as the manifest asks. If it is not meant, point cert_content at the renewed certificate.");
        }
        preventDestroy(workspace, plan, diagnostics);
        return new Planned(diagnostics.hasErrors() ? null : plan, prior, recorded, drift, diagnostics, selections,
                new Pending(unknowns, options.destroy() ? null : interruptedWave(workspace, recorded),
                        options.destroy() ? List.of() : workspace.issuance()));
    }

    /**
     * The wave an interrupted rollout bound and never finished checking, as the state records it (null when there
     * is none): its bindings that still carry what it bound and whose check is owed.
     */
    private static Pending.Wave interruptedWave(Workspace workspace, State recorded) {
        io.certform.state.RolloutProgress progress = recorded.rollout();
        if (progress == null || progress.checked()
                || workspace.manifest().rollout().verify() != io.certform.manifest.RolloutSpec.Verify.TLS) {
            return null;
        }
        List<String> unchecked = progress.ofWave(progress.wave()).stream().filter(e -> recorded.resource(e.address())
                .filter(r -> r.verificationOwed() && (e.replaced() == null
                        || !java.util.Objects.equals(e.replaced().sslId(), r.sslId()))).isPresent())
                .map(io.certform.state.RolloutProgress.Entry::address).toList();
        return unchecked.isEmpty() ? null : new Pending.Wave(progress.wave(), unchecked,
                workspace.manifest().rollout().onFailure().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** {@code lifecycle.prevent_destroy}: a plan that deletes or replaces a protected binding is an error. */
    private static void preventDestroy(Workspace workspace, Plan plan, Diagnostics diagnostics) {
        for (ResourceChange change : plan.changes()) {
            if (change.action() != Action.DELETE && !change.action().replaces()) {
                continue;
            }
            Optional<CertificateSpec> spec = workspace.manifest().certificates().stream()
                    .filter(c -> c.key().equals(change.before().certificate())).findFirst();
            if (spec.isPresent() && spec.get().preventDestroy()) {
                diagnostics.error(spec.get().range(), change.address() + " would be destroyed, but certificate '"
                                + spec.get().key() + "' has lifecycle.prevent_destroy",
                        "Keep the binding in the manifest, or remove prevent_destroy first. To make the other changes,"
                                + " plan with --exclude " + change.address() + ".");
            }
        }
    }

    /**
     * An executor for a plan of this workspace. The state folder is checked first, so a run that could not record
     * its results sends nothing.
     */
    public static Applier applier(Workspace workspace, ProviderSession session, Applier.Settings settings, Clock clock,
                                  ApplyListener listener, String version) throws StateException, ProviderException {
        workspace.stateStore().checkWritable();
        return new Applier(session.client(), workspace.stateStore(), settings, clock, Sleeper.SYSTEM, new Random(),
                listener);
    }

    /**
     * An executor for a fleet's plan: one {@link Applier} per provider of {@code sessions} (in the providers'
     * declared order), each with its own client and its provider block's run settings over the command line's
     * {@code settings} ({@link #settingsFor}), all recording into the workspace's one state store.
     */
    public static FleetApplier fleetApplier(Workspace workspace, java.util.Map<String, ProviderSession> sessions,
                                            Applier.Settings settings, Clock clock, ApplyListener listener)
            throws StateException, ProviderException {
        workspace.stateStore().checkWritable();
        java.util.Map<String, Applier> appliers = new java.util.LinkedHashMap<>();
        java.util.Map<String, Integer> attachChunks = new java.util.HashMap<>();
        for (java.util.Map.Entry<String, ProviderSession> e : sessions.entrySet()) {
            attachChunks.put(e.getKey(), e.getValue().provider().attachChunk());
            appliers.put(e.getKey(), new Applier(e.getValue().client(), workspace.stateStore(),
                    settingsFor(settings, e.getValue().provider().settings()), clock, Sleeper.SYSTEM, new Random(), listener));
        }
        return new FleetApplier(workspace.stateStore(), appliers, attachChunks);
    }

    /**
     * A provider's settings: each of its block's run settings over the command line's; its settle window, when it
     * names none but names a call timeout, three times that timeout.
     */
    public static Applier.Settings settingsFor(Applier.Settings commandLine, io.certform.manifest.Provider.RunSettings run) {
        if (run == null) {
            return commandLine;
        }
        Duration settle = run.settleWindow() != null ? run.settleWindow() : run.callTimeout() != null
                ? Applier.Settings.settleWindowFor(run.callTimeout()) : commandLine.settleWindow();
        return new Applier.Settings(run.parallelism() != null ? run.parallelism() : commandLine.parallelism(),
                commandLine.backoff(), run.rate() != null ? run.rate() : commandLine.ratePerSecond(), settle);
    }
}
