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
 * the report reads it; every other line of a log is passed over (a line of stderr mixed in among them too). A file
 * with no certform event at all is not such a log, and a rollout summary that is not whole JSON is an error: either
 * would silently show fewer rollouts than there were.
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
                int number = 0;
                boolean events = false;
                while ((line = reader.readLine()) != null) {
                    number++;
                    JsonNode event = event(line);
                    if (event == null && line.startsWith("{") && line.contains("\"rollout_summary\"")) {
                        throw new LogException("--apply-log " + log + ", line " + number + ": a rollout summary that"
                                + " is not whole JSON (cut short?); give the complete output of 'certform apply"
                                + " --json'.", null);
                    }
                    events |= event != null;
                    ReportModel.Rollout rollout = event == null ? null : rollout(event, log.toString());
                    if (rollout != null) {
                        out.add(rollout);
                    }
                }
                if (!events) {
                    throw new LogException("--apply-log " + log + ": not the output of 'certform apply --json' (no"
                            + " line of it is a certform event); give the file that command's output was written"
                            + " to.", null);
                }
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new LogException("--apply-log " + log + ": not the output of 'certform apply --json' (not"
                        + " UTF-8 text); give the file that command's output was written to.", e);
            } catch (NoSuchFileException e) {
                throw new LogException("--apply-log " + log + ": no such file; give the file 'certform apply --json'"
                        + " wrote its output to.", e);
            } catch (IOException e) {
                throw new LogException("--apply-log " + log + ": cannot be read (" + e.getMessage() + ").", e);
            }
        }
        return out;
    }

    /** The certform event of one log line (a JSON object with a {@code type}), or null when it is none. */
    private static JsonNode event(String line) {
        if (!line.startsWith("{")) {
            return null;
        }
        try {
            JsonNode event = JSON.readTree(line);
            return event != null && event.isObject() && event.path("type").isString() ? event : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The rollout of one event, or null when it is not a {@code rollout_summary}. */
    private static ReportModel.Rollout rollout(JsonNode event, String source) {
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
