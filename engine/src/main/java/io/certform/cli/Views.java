package io.certform.cli;

import io.certform.cli.view.ApplyView;
import io.certform.cli.view.DiagnosticsView;
import io.certform.cli.view.HumanApplyView;
import io.certform.cli.view.HumanDiagnosticsView;
import io.certform.cli.view.HumanPlanView;
import io.certform.cli.view.JsonApplyView;
import io.certform.cli.view.JsonDiagnosticsView;
import io.certform.cli.view.PlanView;
import io.certform.cli.view.Style;

/**
 * The one place a command's view is chosen from its options: JSON or text ({@code --json}, {@code --format}),
 * {@code --compact}, whether the remote side was read (refresh, or a saved plan that was refreshed when made), and
 * whether standard output is a terminal. Commands render through what it returns and never ask which it is.
 */
final class Views {

    private Views() {
    }

    /** Apply's and destroy's view: JSON events, or the human one (compact, terminal, refreshed or not). */
    static ApplyView apply(Context context, Style style, String command, boolean json, boolean compact,
                           boolean remoteRead) {
        if (json) {
            return new JsonApplyView(context.out());
        }
        HumanApplyView human = new HumanApplyView(context.out(), context.err(), style, command, context.clock())
                .onTerminal(context.terminal());
        if (!remoteRead) {
            human.withoutRefresh();
        }
        if (compact) {
            human.compact();
        }
        return human;
    }

    /** A plan's view, for plan and show: the machine format asked for, or text (compact, refreshed or not). */
    static PlanView plan(Context context, Style style, PlanFormat shown, boolean compact, boolean remoteRead,
                         String version) {
        if (shown != PlanFormat.TEXT) {
            return shown.machineView(context.out(), version);
        }
        HumanPlanView human = new HumanPlanView(context.out(), style);
        if (compact) {
            human.compact();
        }
        return remoteRead ? human : human.withoutRefresh();
    }

    /** Diagnostics: JSON lines on standard output with --json, else text on standard error. */
    static DiagnosticsView diagnostics(Context context, boolean json, boolean noColor) {
        return json ? new JsonDiagnosticsView(context.out())
                : new HumanDiagnosticsView(context.err(), context.errStyle(noColor));
    }
}
