package io.certform.cli;

import io.certform.cli.view.Style;
import io.certform.rollout.RolloutPlan;
import io.certform.workflow.Approval;
import java.io.IOException;
import java.util.Locale;

/**
 * The answers to an apply's questions, from the person at standard input: "yes" to perform the plan (or
 * {@code --auto-approve}, which asks nothing), and y/N before each wave with --confirm-waves. With no input at all
 * (CI), the question fails with a hint instead of waiting.
 */
final class StdinApproval implements Approval {

    private final Context context;
    private final Style style;
    private final boolean autoApprove;

    StdinApproval(Context context, Style style, boolean autoApprove) {
        this.context = context;
        this.style = style;
        this.autoApprove = autoApprove;
    }

    @Override
    public boolean confirm(boolean destroying) throws IOException {
        if (autoApprove) {
            return true;
        }
        context.out().println();
        context.out().println(style.bold(destroying ? "Do you really want to destroy these bindings?"
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

    @Override
    public boolean nextWave(RolloutPlan.Wave next) {
        context.out().print("Start wave " + next.number() + " (" + next.addresses().size() + " change(s))? [y/N] ");
        context.out().flush();
        try {
            String answer = context.in().readLine();
            String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
            return a.equals("y") || a.equals("yes"); // as --confirm-waves' help says: y/N
        } catch (IOException e) {
            return false;
        }
    }
}
