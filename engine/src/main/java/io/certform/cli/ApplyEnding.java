package io.certform.cli;

import io.certform.apply.ApplyResult;
import io.certform.base.Exhaustion;
import io.certform.cli.view.ApplyView;
import io.certform.cli.view.Style;
import io.certform.workflow.ApplyOperation;
import io.certform.workflow.RolloutRun;

/** The end of an apply that ran: its summary, why it stopped early if it did, and the exit code. */
final class ApplyEnding {

    private ApplyEnding() {
    }

    /** @param operation what the user ran ({@code apply} or {@code destroy}), for "run it again" */
    static int render(ApplyOperation.Result ran, ApplyView view, String stateFile, String operation, Context context,
                      Style style) {
        ApplyResult result = ran.applied();
        RolloutRun.Report report = ran.report();
        view.summary(result, stateFile);
        if (report != null && report.stopReason() != null && !report.interrupted()) {
            context.err().println(style.red("Error: ") + "the rollout stopped: " + report.stopReason()
                    + (report.rolledBack() ? "; the waves done were rolled back." : ".")
                    + " What was done is recorded; fix the cause and run apply again.");
            return Main.ERROR;
        }
        if (result.failures().stream().anyMatch(f -> f.error().isAuthFailure())) {
            context.err().println(style.red("Error: ") + "the gateway refused the credentials in use ("
                    + ran.credentials() + "); no further call was started. Fix them and run apply"
                    + " again: what succeeded is recorded.");
        }
        if (result.exhausted() != null) {
            throw new CliException(Main.ERROR, stoppedBy(result.exhausted(), stateFile, result.unknown().size(),
                    operation));
        }
        if (result.interrupted()) {
            return Main.INTERRUPTED;
        }
        return result.ok() ? Main.OK : Main.ERROR;
    }

    /** Why a run stopped early, what it kept, and what to do: the end of a run that ran out of something. */
    private static String stoppedBy(Exhaustion what, String stateFile, int unknown, String operation) {
        String remedy = what.remedy();
        return what.cause() + ": no new call was started, the calls in flight were settled, and everything done is"
                + " recorded in " + stateFile + (what == Exhaustion.DISK ? " and its journal" : "") + ". "
                + (unknown == 0 ? "" : unknown + " call(s) cut short stay in the journal; the next run looks at"
                + " their domains first and sends none of them again. ")
                + Character.toUpperCase(remedy.charAt(0)) + remedy.substring(1) + (what == Exhaustion.DISK
                ? " (" + stateFile + ")" : "") + ", then run " + operation + " again: it resumes where this one"
                + " stopped.";
    }
}
