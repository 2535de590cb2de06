package io.certform.cli.view;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.io.PrintWriter;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Diagnostics for pipelines, on standard output beside the command's other JSON: one object per line,
 * {@code {"type":"diagnostic","severity":"error","summary":...,"detail":...,"range":{"filename":...,
 * "start":{"line":N,"column":N}}}}. {@code range} is left out when the problem has no place in a file, and
 * {@code start} when only the file is known.
 */
public final class JsonDiagnosticsView implements DiagnosticsView {
    private final PrintWriter out;
    private final JsonMapper json = JsonMapper.builder().build();

    public JsonDiagnosticsView(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void render(Diagnostics diagnostics) {
        diagnostics.all().forEach(this::render);
        out.flush();
    }

    public void render(Diagnostic d) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "diagnostic");
        node.put("severity", d.severity().label().toLowerCase(Locale.ROOT));
        node.put("summary", d.summary());
        node.put("detail", d.detail());
        SourceRange range = d.range();
        if (range != null) {
            ObjectNode r = node.putObject("range");
            r.put("filename", range.file());
            if (range.line() > 0) {
                ObjectNode start = r.putObject("start");
                start.put("line", range.line());
                start.put("column", range.column());
            }
        }
        out.println(json.writeValueAsString(node));
        out.flush();
    }
}
