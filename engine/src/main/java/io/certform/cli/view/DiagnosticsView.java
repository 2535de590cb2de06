package io.certform.cli.view;

import io.certform.diag.Diagnostics;

/** Shows diagnostics: {@link HumanDiagnosticsView} on standard error, {@link JsonDiagnosticsView} with --json. */
public interface DiagnosticsView {
    void render(Diagnostics diagnostics);
}
