package io.certform.manifest;

import io.certform.base.SourceRange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code state:}: a path, or a block naming the backend (the local file, or PostgreSQL and its settings). */
final class StateReader extends SectionReader {

    static final Set<String> STATE_KEYS = ordered("backend", "path", "url", "workspace", "schema", "lease");

    StateReader(SectionReader context) {
        super(context);
    }

    /** {@code state}: a path, or a block naming the backend. */
    StateSettings state(YamlTree.Entry entry, Path baseDir) {
        Path defaultPath = baseDir.resolve("certform.state.json");
        if (entry == null) {
            return StateSettings.local(defaultPath);
        }
        if (!(entry.value() instanceof YamlNode.Mapping)) {
            String path = values.string(entry.value(), "state");
            return StateSettings.local(path == null ? defaultPath : baseDir.resolve(path).normalize());
        }
        Map<String, YamlTree.Entry> s = tree.mapping(entry.value(), "state", STATE_KEYS);
        if (s == null) {
            return StateSettings.local(defaultPath);
        }
        StateSettings.Backend backend = StateSettings.Backend.LOCAL;
        if (s.containsKey("backend")) {
            backend = choice(s.get("backend"), "state.backend", StateSettings.Backend::fromManifest,
                    name -> "unknown state.backend '" + name + "'",
                    "Use 'local' (the JSON file, the default) or 'postgres' (a shared state in PostgreSQL).");
        }
        String path = s.containsKey("path") ? values.string(s.get("path").value(), "state.path") : null;
        Path statePath = path == null ? defaultPath : baseDir.resolve(path).normalize();
        if (backend != StateSettings.Backend.POSTGRES) {
            for (String key : List.of("url", "workspace", "schema", "lease")) {
                if (backend != null && s.containsKey(key)) {
                    diagnostics.error(s.get(key).keyRange(), "state." + key + " is for the postgres backend",
                            "Add 'backend: postgres' to the state block, or remove '" + key + "'.");
                }
            }
            return StateSettings.local(statePath);
        }
        String rawUrl = s.containsKey("url") ? tree.scalar(s.get("url").value(), "state.url") : null;
        // read once: an empty value is reported by the tree, and only once
        String url = rawUrl != null ? values.string(s.get("url").value(), "state.url") : null;
        if (rawUrl != null && !rawUrl.contains("${")
                && !io.certform.base.PostgresNames.redact(rawUrl).equals(rawUrl)) {
            diagnostics.error(tree.at(s.get("url").value()), "state.url has a password written in the manifest",
                    "Reference it instead: url: ${env:CERTFORM_PG_URL}, or keep the password in PGPASSWORD.");
            url = null;
        }
        if (url != null && url.isBlank()) {
            diagnostics.error(tree.at(s.get("url").value()), "state.url is empty: '" + rawUrl + "' gave no text",
                    "Set the variable it names to jdbc:postgresql://host:5432/db (a CI secret that is not"
                            + " defined expands to an empty value), or remove 'url' to take CERTFORM_PG_URL or the"
                            + " PG* variables. Nothing was connected to.");
            url = null;
        }
        String workspace = checked(s.get("workspace"), "state.workspace",
                io.certform.base.PostgresNames::workspaceProblem);
        String schema = checked(s.get("schema"), "state.schema", io.certform.base.PostgresNames::schemaProblem);
        java.time.Duration lease = null;
        if (s.containsKey("lease")) {
            String text = values.string(s.get("lease").value(), "state.lease");
            if (text != null) {
                try {
                    lease = io.certform.base.Durations.parse(text);
                    if (lease.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
                        throw new IllegalArgumentException("a lease lasts at least 1s");
                    }
                } catch (IllegalArgumentException e) {
                    diagnostics.error(tree.at(s.get("lease").value()), "state.lease '" + text
                            + "' is not a duration of 1s or more", "Write e.g. 60s or 5m (the default is 60s).");
                }
            }
        }
        String urlProblem = null;
        if (rawUrl != null && !rawUrl.contains("${") && !rawUrl.isBlank() && url == null) {
            urlProblem = "state.url has a password written in the manifest";
        } else if (rawUrl != null && (url == null || url.isBlank())) {
            SourceRange at = tree.at(s.get("url").value());
            urlProblem = "state.url" + (at == null ? "" : " (" + at + ")") + " gives no URL: "
                    + (rawUrl.contains("${") ? io.certform.base.PostgresNames.redact(rawUrl.trim())
                    + " names a variable that is not set, or empty" : "it is empty");
        }
        return new StateSettings(backend, statePath, url == null || url.isBlank() ? null : url, workspace, schema,
                lease, tree.at(entry.value()), urlProblem);
    }

    /** A name checked by {@code rule} (which returns the problem, or null); null when absent or wrong. */
    private String checked(YamlTree.Entry entry, String what, java.util.function.Function<String, String> rule) {
        if (entry == null) {
            return null;
        }
        String value = values.string(entry.value(), what);
        String problem = value == null ? null : rule.apply(value);
        if (problem != null) {
            diagnostics.error(tree.at(entry.value()), what + ": " + problem, "");
            return null;
        }
        return value;
    }
}
