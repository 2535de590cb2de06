package io.certform.manifest;

import io.certform.base.Environment;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${file:PATH}} (relative to the manifest's folder) and {@code ${env:NAME}} inside manifest
 * values. {@code $${} writes a literal {@code ${}.
 */
final class References {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}?");
    private static final long MAX_FILE_BYTES = 1 << 20;

    /** The resolved text and where it came from. */
    record Resolved(String text, String origin, boolean literal) {
    }

    private final Path baseDir;
    private final Environment environment;
    private final Diagnostics diagnostics;
    /** Files already read, by path: entries that share a bundle or key share one copy of its text. */
    private final Map<Path, String> files = new HashMap<>();

    References(Path baseDir, Environment environment, Diagnostics diagnostics) {
        this.baseDir = baseDir;
        this.environment = environment;
        this.diagnostics = diagnostics;
    }

    /** Resolves every reference in {@code raw}; null, after reporting, when one cannot be resolved. */
    Resolved resolve(String raw, SourceRange range, String what) {
        if (raw.indexOf('$') < 0) {
            return new Resolved(raw, "manifest", true); // most values (ids, domain names): the text itself
        }
        int close = raw.indexOf('}');
        if (raw.startsWith("${") && close == raw.length() - 1 && raw.indexOf('$', 1) < 0) {
            // The usual secret or bundle: the value is one reference, ${KIND:ARG}, which is what REFERENCE finds
            // (one match, the whole value); resolved without a matcher and a copy.
            String body = raw.substring(2, close);
            String value = resolveOne(raw, body, range, what);
            return value == null ? null : new Resolved(value, originOf(body), false);
        }
        return matched(raw, range, what);
    }

    /** {@link #resolve} by the REFERENCE pattern, for any value (ReferencesTest holds the shortcut above to it). */
    Resolved matched(String raw, SourceRange range, String what) {
        Matcher m = REFERENCE.matcher(raw);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int references = 0;
        String origin = "manifest";
        boolean ok = true;
        String value = null;
        while (m.find()) {
            out.append(raw, last, m.start());
            last = m.end();
            if (m.group().equals("$${")) {
                out.append("${");
                continue;
            }
            references++;
            value = resolveOne(m.group(), m.group(1), range, what);
            if (value == null) {
                ok = false;
                continue;
            }
            out.append(value);
            origin = originOf(m.group(1));
        }
        out.append(raw.substring(last));
        if (!ok) {
            return null;
        }
        boolean whole = references == 1 && REFERENCE.matcher(raw).matches();
        // A value that is one reference is that file's or variable's text itself, not a copy of it.
        return new Resolved(whole ? value : out.toString(), whole ? origin : "manifest", references == 0);
    }

    private String resolveOne(String token, String body, SourceRange range, String what) {
        if (!token.endsWith("}")) {
            diagnostics.error(range, "unterminated reference '" + token + "' in " + what,
                    "Close it with '}', e.g. ${file:certs/site.crt}. Write $${ for a literal ${.");
            return null;
        }
        int colon = body.indexOf(':');
        String kind = colon < 0 ? body : body.substring(0, colon);
        String argument = colon < 0 ? "" : body.substring(colon + 1).trim();
        switch (kind) {
            case "file" -> {
                return readFile(argument, range, what);
            }
            case "env" -> {
                if (argument.isEmpty()) {
                    diagnostics.error(range, "empty variable name in ${env:} in " + what, "Write ${env:NAME}.");
                    return null;
                }
                String value = environment.get(argument);
                if (value == null) {
                    diagnostics.error(range, "environment variable " + argument + " is not set (" + what + ")",
                            "Set " + argument + " in the environment that runs certform, or change the reference.");
                    return null;
                }
                return value;
            }
            default -> {
                diagnostics.error(range, "unknown reference '" + token + "' in " + what,
                        "Use ${file:PATH} (relative to the manifest's folder) or ${env:NAME}.");
                return null;
            }
        }
    }

    private String readFile(String name, SourceRange range, String what) {
        if (name.isEmpty()) {
            diagnostics.error(range, "empty path in ${file:} in " + what, "Write ${file:PATH}.");
            return null;
        }
        Path path = baseDir.resolve(name).normalize();
        String known = files.get(path);
        if (known != null) {
            return known;
        }
        try {
            if (!Files.isRegularFile(path)) {
                diagnostics.error(range, "file not found: " + name + " (" + what + ")",
                        "Looked for " + path + "; paths are relative to the manifest's folder.");
                return null;
            }
            if (Files.size(path) > MAX_FILE_BYTES) {
                diagnostics.error(range, "file " + name + " is larger than 1 MiB (" + what + ")",
                        "A certificate bundle or key is a few kilobytes; check that the path is right.");
                return null;
            }
            String text = Files.readString(path, StandardCharsets.UTF_8);
            files.put(path, text);
            return text;
        } catch (MalformedInputException e) {
            diagnostics.error(range, "file " + name + " is not text (" + what + ")",
                    "certform reads PEM files; convert DER files with 'openssl x509 -inform der'.");
            return null;
        } catch (IOException e) {
            diagnostics.error(range, "cannot read " + name + " (" + what + "): " + e.getClass().getSimpleName(),
                    "Check that the file is readable by the user running certform.");
            return null;
        }
    }

    private static String originOf(String body) {
        int colon = body.indexOf(':');
        return colon < 0 ? body : body.substring(0, colon) + " " + body.substring(colon + 1).trim();
    }
}
