package io.certform.cli.view;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import io.certform.base.SourceRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Diagnostics for people: {@code file:line:column: error: summary}, the source line with a caret under the
 * column, then the detail, indented. A line that may hold a secret (a {@code private_key} value that is not a
 * reference) is not shown.
 */
public final class HumanDiagnosticsView implements DiagnosticsView {
    private final PrintWriter err;
    private final Style style;
    /** The lines of each file named by a diagnostic, read once per render; null when it cannot be read. */
    private final Map<String, List<String>> sources = new HashMap<>();

    /** What follows the count of errors: a command that changes nothing anyway (certs) does not say so. */
    private String afterCount = "; nothing was changed.";

    /** @param style the style of {@code err}: colour only when that stream is a terminal */
    public HumanDiagnosticsView(PrintWriter err, Style style) {
        this.err = err;
        this.style = style;
    }

    /** For a read-only command: the count of errors ends the diagnostics with no "nothing was changed". */
    public HumanDiagnosticsView readOnly() {
        afterCount = ".";
        return this;
    }

    @Override
    public void render(Diagnostics diagnostics) {
        for (Diagnostic d : diagnostics.all()) {
            String headline = d.headline();
            boolean error = d.severity() == Severity.ERROR;
            err.println(error ? style.red(headline) : style.yellow(headline));
            excerpt(d, error);
            if (!d.detail().isEmpty()) {
                err.println("  " + d.detail());
            }
        }
        if (diagnostics.hasErrors()) {
            long errors = diagnostics.errorCount();
            err.println(style.bold(errors + (errors == 1 ? " error" : " errors") + afterCount));
        }
        err.flush();
    }

    /**
     * <pre>
     *     8 |     nmae: shop_api_2026
     *       |     ^
     * </pre>
     */
    private void excerpt(Diagnostic d, boolean error) {
        SourceRange range = d.range();
        if (range == null || range.line() <= 0) {
            return;
        }
        List<String> lines = sources.computeIfAbsent(range.file(), HumanDiagnosticsView::read);
        if (lines == null || range.line() > lines.size()) {
            return;
        }
        String line = lines.get(range.line() - 1);
        if (range.line() == 1 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        if (mayHoldSecret(line, d)) {
            return;
        }
        line = unknownKeyOnly(line, d);
        String number = Integer.toString(range.line());
        String gutter = " ".repeat(number.length());
        err.println("  " + style.dim(number + " |") + " " + line);
        String caret = error ? style.red("^") : style.yellow("^");
        err.println("  " + style.dim(gutter + " |") + " " + indent(line, range.column()) + caret);
    }

    /** Blanks up to the column (1-based, in code points), keeping tabs so that the caret lines up. */
    private static String indent(String line, int column) {
        StringBuilder out = new StringBuilder();
        int[] codePoints = line.codePoints().toArray();
        for (int i = 0; i < Math.min(column - 1, codePoints.length); i++) {
            out.append(codePoints[i] == '\t' ? '\t' : ' ');
        }
        return out.toString();
    }

    /**
     * certform refuses a secret written in the manifest, and must not print it while saying so: the line of such
     * a value, any line a problem of a credentials block points at (it may hold literals of its other keys), any
     * private_key line that is not a reference, and any line holding a URL's password, is left out.
     */
    private static boolean mayHoldSecret(String line, Diagnostic d) {
        String lower = line.toLowerCase(java.util.Locale.ROOT);
        return d.summary().contains("written in the manifest") || d.summary().startsWith("a secret in the manifest")
                || d.summary().contains(".credentials") || d.summary().startsWith("credentials")
                || lower.contains("private key")
                || (SECRET_WORDS.stream().anyMatch(lower::contains) && !line.contains("${"))
                || !io.certform.state.postgres.PostgresLocation.redact(line).equals(line);
    }

    private static final List<String> SECRET_WORDS = List.of("private_key", "secret", "password", "passphrase",
            "token");

    /**
     * A misspelt key is no longer known to be a secret field, so what follows it may be one (a secret key under
     * {@code secret_kye:}): the line is shown up to the key, its value only when it is a reference.
     */
    private static String unknownKeyOnly(String line, Diagnostic d) {
        if (!d.summary().startsWith("unknown key ")) {
            return line;
        }
        int colon = line.indexOf(':', Math.max(0, line.offsetByCodePoints(0,
                Math.min(d.range().column() - 1, line.codePointCount(0, line.length())))));
        if (colon < 0) {
            return line;
        }
        String value = line.substring(colon + 1).trim();
        return value.isEmpty() || value.startsWith("${") ? line : line.substring(0, colon + 1) + " \u2026";
    }

    private static List<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }
}
