package io.certform.diag;

import io.certform.base.SourceRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects diagnostics while input is read, so that every problem is reported in one run. */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    public void add(Diagnostic diagnostic) {
        items.add(diagnostic);
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
    }

    public void error(SourceRange range, String summary, String detail) {
        add(Diagnostic.error(range, summary, detail));
    }

    public void warning(SourceRange range, String summary, String detail) {
        add(Diagnostic.warning(range, summary, detail));
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    public long errorCount() {
        return items.stream().filter(d -> d.severity() == Severity.ERROR).count();
    }

    public List<Diagnostic> all() {
        return Collections.unmodifiableList(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
