package io.certform.cli;

import io.certform.apply.ApplyRunner;
import io.certform.base.Exhaustion;
import io.certform.cli.view.ApplyView;
import io.certform.cli.view.DiagnosticsView;
import io.certform.cli.view.HumanApplyView;
import io.certform.diag.Diagnostics;
import io.certform.provider.ProviderSession;
import io.certform.state.StateStore;
import io.certform.workflow.ApplyOperation;
import io.certform.workflow.RolloutRun;
import io.certform.workflow.Workspace;
import java.net.URI;
import java.util.function.Function;

/**
 * What the command line gives a workflow operation: the lock as {@code --lock}/{@code --lock-timeout} take it, the
 * provider session of the command's call settings, notes on standard error, and for an apply its diagnostics, the
 * signal and low-memory watches, the progress bar and the {@code --notify} webhook.
 */
final class CommandHost implements ApplyOperation.ApplyHost {

    private final Context context;
    private final LockOptions locking;
    private final Function<Workspace, ProviderSession> sessions;
    private final Function<Workspace, io.certform.workflow.Fleet> fleets;
    private final DiagnosticsView diagnostics;
    private final ApplyView view;

    /** A host for an operation that shows no plan (refresh, import). */
    CommandHost(Context context, LockOptions locking, Function<Workspace, ProviderSession> sessions) {
        this(context, locking, sessions, null, null);
    }

    /** A host for an operation that shows no plan, with a session per provider of the manifest. */
    CommandHost(Context context, LockOptions locking, Function<Workspace, ProviderSession> sessions,
                Function<Workspace, io.certform.workflow.Fleet> fleets) {
        this(context, locking, sessions, fleets, null, null);
    }

    /** A host for an apply, whose plan's diagnostics and progress go to these views. */
    CommandHost(Context context, LockOptions locking, Function<Workspace, ProviderSession> sessions,
                DiagnosticsView diagnostics, ApplyView view) {
        this(context, locking, sessions, w -> io.certform.workflow.Fleet.of(sessions.apply(w)), diagnostics, view);
    }

    /** A host for an apply, with a session per provider of the manifest. */
    CommandHost(Context context, LockOptions locking, Function<Workspace, ProviderSession> sessions,
                Function<Workspace, io.certform.workflow.Fleet> fleets, DiagnosticsView diagnostics, ApplyView view) {
        this.context = context;
        this.locking = locking;
        this.sessions = sessions;
        this.fleets = fleets;
        this.diagnostics = diagnostics;
        this.view = view;
    }

    @Override
    public StateStore.Held lock(StateStore store, String operation) {
        return locking.acquire(store, operation, context::note);
    }

    @Override
    public ProviderSession session(Workspace workspace) {
        return sessions.apply(workspace);
    }

    @Override
    public io.certform.workflow.Fleet fleet(Workspace workspace) {
        return fleets.apply(workspace);
    }

    @Override
    public void note(String text) {
        context.note(text);
    }

    @Override
    public void diagnostics(Diagnostics found) {
        diagnostics.render(found);
    }

    @Override
    public void approved() {
        if (view instanceof HumanApplyView) {
            context.out().println(); // the run's lines start apart from the plan and the question
        }
    }

    @Override
    public ApplyOperation.Watch applying(ApplyRunner applier) {
        if (view instanceof HumanApplyView human) {
            human.startTicking();
        }
        Interrupts interrupts = Interrupts.during(context, applier::requestStop);
        LowMemory low = context.ownsProcess() ? LowMemory.during(() -> applier.stopFor(Exhaustion.MEMORY)) : null;
        return () -> {
            try {
                if (low != null) {
                    low.close();
                }
            } finally {
                interrupts.close();
            }
        };
    }

    @Override
    public void notify(URI url, RolloutRun.Report report) {
        Notifier.post(url, report, context::note);
    }

    @Override
    public io.certform.base.Environment environment() {
        return context.environment();
    }
}
