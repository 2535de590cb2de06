package io.certform.cli.view;

import io.certform.verify.Verification;
import io.certform.workflow.RolloutRun;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rollout's report, as the terminal shows it (a table per wave) and as JSON (the {@code rollout_summary}
 * event, and the body {@code --notify} posts). It names domains, serials and outcomes: never a key or a PEM.
 */
public final class RolloutReportText {

    private RolloutReportText() {
    }

    /** The JSON summary: waves, totals, how it ended, and every check that failed. */
    public static ObjectNode json(RolloutRun.Report report, JsonMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("ok", report.ok());
        root.put("stopped", report.stopReason() != null);
        if (report.stopReason() != null) {
            root.put("stop_reason", report.stopReason());
        }
        root.put("rolled_back", report.rolledBack());
        ArrayNode waves = root.putArray("waves");
        for (RolloutRun.WaveReport w : report.waves()) {
            ObjectNode n = waves.addObject();
            n.put("wave", w.number());
            if (w.provider() != null) {
                n.put("provider", w.provider());
            }
            n.put("domains", w.domains());
            n.put("bound", w.bound());
            n.put("verified", w.verified());
            n.put("failed", w.failed());
            n.put("rolled_back", w.rolledBack());
        }
        ArrayNode failed = root.putArray("failed_checks");
        for (Verification v : report.verifications()) {
            if (!v.verified()) {
                failed.add(verification(v, json));
            }
        }
        return root;
    }

    static ObjectNode verification(Verification v, JsonMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("domain", v.domain());
        n.put("outcome", v.outcome().name().toLowerCase(java.util.Locale.ROOT));
        n.put("served_serial", v.servedSerial());
        n.put("served_sha256", v.servedSha256());
        n.put("attempts", v.attempts());
        n.put("at", v.at() == null ? null : v.at().toString());
        n.put("detail", v.detail());
        return n;
    }

    /** The closing table: one row per wave. */
    static String table(RolloutRun.Report report) {
        StringBuilder out = new StringBuilder();
        // waves by provider name theirs in a last column; waves by size keep the table as it was
        boolean byProvider = report.waves().stream().anyMatch(w -> w.provider() != null);
        out.append(String.format("%-6s %8s %8s %9s %7s %12s", "WAVE", "DOMAINS", "BOUND", "VERIFIED", "FAILED",
                "ROLLED BACK")).append(byProvider ? "  PROVIDER" : "").append(System.lineSeparator());
        for (RolloutRun.WaveReport w : report.waves()) {
            out.append(String.format("%-6s %8d %8d %9d %7d %12d", w.number() == 0 ? "check" : w.number(),
                    w.domains(), w.bound(), w.verified(), w.failed(), w.rolledBack()))
                    .append(byProvider ? "  " + (w.provider() == null ? "-" : w.provider()) : "")
                    .append(System.lineSeparator());
        }
        return out.toString();
    }
}
