package io.certform.cli.view;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import java.io.PrintWriter;

/** Diagnostics for people: {@code file:line:column: error: summary}, then the detail, indented. */
public final class HumanDiagnosticsView implements DiagnosticsView {
    private final PrintWriter err;
    private final Style style;

    /** @param style the style of {@code err}: colour only when that stream is a terminal */
    public HumanDiagnosticsView(PrintWriter err, Style style) {
        this.err = err;
        this.style = style;
    }

    @Override
    public void render(Diagnostics diagnostics) {
        for (Diagnostic d : diagnostics.all()) {
            String headline = d.headline();
            err.println(d.severity() == Severity.ERROR ? style.red(headline) : style.yellow(headline));
            if (!d.detail().isEmpty()) {
                err.println("  " + d.detail());
            }
        }
        if (diagnostics.hasErrors()) {
            long errors = diagnostics.errorCount();
            err.println(style.bold(errors + (errors == 1 ? " error" : " errors") + "; nothing was changed."));
        }
        err.flush();
    }
}
