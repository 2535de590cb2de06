package io.certform.cli.view;

import io.certform.api.ApiException;
import io.certform.apply.ApplyResult;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Apply events for pipelines: one JSON object per line, {@code type} one of {@code rollout} (the waves, when the
 * apply goes out in waves), {@code planned}, {@code started},
 * {@code retrying}, {@code done}, {@code failed}, {@code unknown}, {@code skipped}, {@code note},
 * {@code summary}.
 */
public final class JsonApplyView implements ApplyView {
    private final PrintWriter out;
    private final JsonMapper json = JsonMapper.builder().build();

    public JsonApplyView(PrintWriter out) {
        this.out = out;
    }

    private io.certform.rollout.RolloutPlan rollout;

    @Override
    public JsonApplyView rollingOut(io.certform.rollout.RolloutPlan value) {
        rollout = value;
        return this;
    }

    @Override
    public void planned(Plan plan, java.util.Map<String, io.certform.plan.Drift> drift, java.time.Instant now) {
        if (rollout != null) {
            ObjectNode event = json.createObjectNode();
            event.put("type", "rollout");
            event.setAll(RolloutSection.json(rollout, json));
            emit(event);
        }
        for (ResourceChange c : plan.changes()) {
            if (c.action().changes()) {
                ObjectNode event = event("planned", c);
                c.action().wireActions().forEach(event.putArray("actions")::add);
                c.reasons().stream().sorted().map(io.certform.plan.Reason::wireName).forEach(event.putArray("reasons")::add);
                emit(event);
            }
        }
    }

    @Override
    public void started(ResourceChange change) {
        emit(event("started", change));
    }

    @Override
    public void completed(ResourceChange change, String sslId, Duration took, String note) {
        ObjectNode event = event("done", change);
        event.put("ssl_id", sslId);
        event.put("duration_ms", took.toMillis());
        if (note != null) {
            event.put("note", note);
        }
        emit(event);
    }

    @Override
    public void failed(ResourceChange change, ApiException error) {
        ObjectNode event = event("failed", change);
        event.put("status", error.status());
        event.put("error_code", error.errorCode());
        event.put("message", error.getMessage());
        emit(event);
    }

    @Override
    public void retrying(ResourceChange change, int attempt, ApiException error, Duration delay) {
        ObjectNode event = event("retrying", change);
        event.put("attempt", attempt);
        event.put("status", error.status());
        event.put("error_code", error.errorCode());
        event.put("message", error.getMessage());
        event.put("delay_ms", delay.toMillis());
        emit(event);
    }

    @Override
    public void unknown(ResourceChange change, String why) {
        ObjectNode event = event("unknown", change);
        event.put("message", why);
        emit(event);
    }

    @Override
    public void skipped(ResourceChange change, String why) {
        ObjectNode event = event("skipped", change);
        event.put("reason", why);
        emit(event);
    }

    @Override
    public void note(String text) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "note");
        event.put("message", text);
        emit(event);
    }

    @Override
    public void waveStarting(io.certform.rollout.RolloutPlan.Wave wave, int waves) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "wave");
        event.put("wave", wave.number());
        if (wave.provider() != null) {
            event.put("provider", wave.provider());
        }
        event.put("waves", waves);
        event.put("changes", wave.addresses().size());
        emit(event);
    }

    @Override
    public void verified(io.certform.verify.Verification verification) {
        ObjectNode event = RolloutReportText.verification(verification, json);
        event.put("type", "verification");
        emit(event);
    }

    @Override
    public void waveDone(io.certform.workflow.RolloutRun.WaveReport report) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "wave_done");
        event.put("wave", report.number());
        if (report.provider() != null) {
            event.put("provider", report.provider());
        }
        event.put("domains", report.domains());
        event.put("bound", report.bound());
        event.put("verified", report.verified());
        event.put("failed", report.failed());
        event.put("rolled_back", report.rolledBack());
        emit(event);
    }

    /** Whether a rollout stopped before its last wave: the run is not ok, though every call sent succeeded. */
    private volatile boolean rolloutStopped;

    @Override
    public void rolloutReport(io.certform.workflow.RolloutRun.Report report) {
        rolloutStopped = report.stopReason() != null && !report.interrupted();
        ObjectNode event = RolloutReportText.json(report, json);
        event.put("type", "rollout_summary");
        emit(event);
    }

    @Override
    public void summary(ApplyResult result, String stateDescription) {
        ObjectNode event = json.createObjectNode();
        event.put("type", "summary");
        event.put("adopted", result.adopted());
        event.put("added", result.added());
        event.put("changed", result.changed());
        event.put("destroyed", result.destroyed());
        event.put("failed", result.failures().size());
        event.put("unknown", result.unknown().size());
        event.put("skipped", result.skipped().size());
        event.put("ok", result.ok() && !rolloutStopped);
        event.put("interrupted", result.interrupted());
        if (result.exhausted() != null) {
            event.put("stopped_by", result.exhausted().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (result.stats() != null) {
            event.put("retries", result.stats().retries());
            event.put("throttles", result.stats().throttles());
            event.put("lowest_parallelism", result.stats().lowestParallelism());
            event.put("journal_records", result.stats().journalRecords());
            event.put("journal_fsyncs", result.stats().journalSyncs());
            event.put("state_writes", result.stats().compactions());
        }
        if (!result.providers().isEmpty()) { // a fleet: each provider's own account
            ObjectNode providers = event.putObject("providers");
            result.providers().forEach((name, r) -> {
                ObjectNode p = providers.putObject(name);
                p.put("added", r.added());
                p.put("changed", r.changed());
                p.put("destroyed", r.destroyed());
                p.put("failed", r.failures().size());
                p.put("skipped", r.skipped().size());
                p.put("ok", r.ok());
            });
        }
        emit(event);
    }

    private ObjectNode event(String type, ResourceChange change) {
        ObjectNode event = json.createObjectNode();
        event.put("type", type);
        event.put("address", change.address());
        event.put("provider", change.provider());
        if (change.deposed()) {
            event.put("deposed", change.before().deposedKey());
        }
        return event;
    }

    private synchronized void emit(ObjectNode event) {
        out.println(json.writeValueAsString(event));
        out.flush();
    }
}
