package io.certform.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollouts that {@code apply --json} logs describe: each {@code rollout_summary} event (waves, totals and failed
 * checks) of the files given, in the order given. A finished rollout is not kept in the state, so its log is where
 * the report reads it; every other line of a log is passed over.
 */
public final class ApplyLogs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApplyLogs() {
    }

    /** A log that cannot be read: which file, and why. */
    public static final class LogException extends Exception {
        public LogException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every rollout the logs describe, oldest first (the files in the order given, each in its own order). */
    public static List<ReportModel.Rollout> read(List<Path> logs) throws LogException {
        List<ReportModel.Rollout> out = new ArrayList<>();
        for (Path log : logs) {
            try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    ReportModel.Rollout rollout = rollout(line, log.toString());
                    if (rollout != null) {
                        out.add(rollout);
                    }
                }
            } catch (NoSuchFileException e) {
                throw new LogException("--apply-log " + log + ": no such file; give the file 'certform apply --json'"
                        + " wrote its output to.", e);
            } catch (IOException e) {
                throw new LogException("--apply-log " + log + ": cannot be read (" + e.getMessage() + ").", e);
            }
        }
        return out;
    }

    /** The rollout of one log line, or null when the line is not a {@code rollout_summary} event. */
    static ReportModel.Rollout rollout(String line, String source) {
        if (!line.startsWith("{") || !line.contains("\"rollout_summary\"")) {
            return null;
        }
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (JacksonException e) {
            return null;
        }
        if (!"rollout_summary".equals(event.path("type").asString(""))) {
            return null;
        }
        List<ReportModel.Wave> waves = new ArrayList<>();
        for (JsonNode w : event.path("waves")) {
            waves.add(new ReportModel.Wave(w.path("wave").asInt(), w.path("domains").asInt(), w.path("bound").asInt(),
                    w.path("verified").asInt(), w.path("failed").asInt(), w.path("rolled_back").asInt()));
        }
        List<ReportModel.Failure> failures = new ArrayList<>();
        for (JsonNode f : event.path("failed_checks")) {
            failures.add(new ReportModel.Failure(f.path("domain").asString(""), f.path("outcome").asString(""),
                    f.path("detail").isNull() ? null : f.path("detail").asString(null)));
        }
        String stop = event.path("stop_reason").isString() ? event.path("stop_reason").asString() : null;
        return new ReportModel.Rollout(source, false, event.path("ok").asBoolean(), stop,
                event.path("rolled_back").asBoolean(), waves, failures);
    }
}
