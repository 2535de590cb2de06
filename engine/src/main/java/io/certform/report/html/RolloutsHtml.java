package io.certform.report.html;

import io.certform.report.ReportModel;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** The last rollouts: for each, how it ended, a row per wave (bound, verified, failed, rolled back), its failures. */
final class RolloutsHtml {

    private RolloutsHtml() {
    }

    static void write(List<ReportModel.Rollout> rollouts, Writer out) throws IOException {
        StringBuilder html = new StringBuilder("<section id=\"rollouts\"><h2>Last rollouts</h2>\n");
        if (rollouts.isEmpty()) {
            html.append("<p class=\"meta\">No rollout to show: none is in progress in the state, and no"
                    + " <code>--apply-log</code> with a rollout was given (<code>certform apply --json</code> writes"
                    + " one; see docs/cli.md).</p>");
        }
        int n = 0;
        for (ReportModel.Rollout r : rollouts) {
            n++;
            String outcome = r.interrupted() ? "in progress" : r.ok() ? "completed" : r.rolledBack() ? "rolled back"
                    : "stopped";
            html.append("<div class=\"rollout\"><h3>").append(n == 1 ? "Latest" : "Earlier").append(": <span class=\"ok-")
                    .append(r.ok()).append("\">").append(outcome).append("</span> <span class=\"meta\">(from ")
                    .append(Markup.html(r.source())).append(")</span></h3>");
            if (r.stopReason() != null) {
                html.append("<p>").append(Markup.html(r.stopReason())).append("</p>");
            }
            html.append("<table class=\"waves\"><thead><tr><th>wave</th><th class=\"num\">domains</th><th class=\"num\">"
                    + "bound</th><th class=\"num\">verified</th><th class=\"num\">failed</th><th class=\"num\">"
                    + "rolled back</th></tr></thead><tbody>");
            for (ReportModel.Wave w : r.waves()) {
                html.append("<tr><td>").append(w.number() == 0 ? "check" : String.valueOf(w.number()))
                        .append("</td><td class=\"num\">").append(w.domains()).append("</td><td class=\"num\">")
                        .append(w.bound()).append("</td><td class=\"num\">").append(w.verified())
                        .append("</td><td class=\"num").append(w.failed() > 0 ? " critical" : "").append("\">")
                        .append(w.failed()).append("</td><td class=\"num\">").append(w.rolledBack()).append("</td></tr>");
            }
            html.append("</tbody></table>");
            if (!r.failures().isEmpty()) {
                html.append("<details open><summary>").append(r.failures().size())
                        .append(r.failures().size() == 1 ? " check failed" : " checks failed")
                        .append("</summary><ul class=\"failures\">");
                for (ReportModel.Failure f : r.failures()) {
                    html.append("<li><code>").append(Markup.html(f.domain())).append("</code>: ")
                            .append(Markup.html(f.outcome())).append(f.detail() == null ? ""
                                    : " \u2014 " + Markup.html(f.detail())).append("</li>");
                }
                html.append("</ul></details>");
            }
            html.append("</div>\n");
        }
        out.write(html.append("</section>\n").toString());
    }
}
