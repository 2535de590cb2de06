package io.certform.manifest;

import io.certform.base.SourceRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code acme:} block's {@code challenge:}: dns-01 through Huawei Cloud DNS (the default) or the user's
 * commands ({@code exec}: non-empty lists of words), the name servers to check with ({@code HOST:PORT}), and the DNS
 * endpoint.
 */
final class AcmeChallengeReader extends SectionReader {

    static final Set<String> CHALLENGE_KEYS = ordered("dns", "exec", "resolvers", "endpoint");
    static final Set<String> EXEC_KEYS = ordered("present", "cleanup");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

    private final AcmeReader urls;

    AcmeChallengeReader(SectionReader context, AcmeReader urls) {
        super(context);
        this.urls = urls;
    }

    /** {@code challenge}: dns-01 through Huawei Cloud DNS (the default) or the user's commands. */
    AcmeSpec.Challenge challenge(YamlTree.Entry entry, String what) {
        if (entry == null) {
            return new AcmeSpec.Challenge("huaweicloud", List.of(), List.of(), List.of(), null);
        }
        String where = what + " challenge";
        Map<String, YamlTree.Entry> c = tree.mapping(entry.value(), where, CHALLENGE_KEYS);
        if (c == null) {
            return null;
        }
        String dns = "huaweicloud";
        if (c.containsKey("dns")) {
            dns = choice(c.get("dns"), where + " dns", w -> w.equals("huaweicloud") || w.equals("exec") ? w : null,
                    w -> where + " dns '" + w + "' is not huaweicloud or exec",
                    "Write dns: huaweicloud (Huawei Cloud DNS, with the provider's credentials) or dns: exec (your"
                            + " commands, under exec: { present: [...], cleanup: [...] }).");
        }
        List<String> present = List.of();
        List<String> cleanup = List.of();
        if ("exec".equals(dns) && !c.containsKey("exec")) {
            diagnostics.error(tree.at(entry.value()), where + " has dns: exec but no exec block",
                    "Add exec: { present: [./dns-hook, present], cleanup: [./dns-hook, cleanup] }.");
        } else if (c.containsKey("exec") && !"exec".equals(dns)) {
            diagnostics.error(c.get("exec").keyRange(), where + " has an exec block but dns is not exec",
                    "Add dns: exec, or remove the exec block.");
        } else if (c.containsKey("exec")) {
            Map<String, YamlTree.Entry> e = tree.mapping(c.get("exec").value(), where + " exec", EXEC_KEYS);
            if (e != null) {
                present = command(e, "present", where + " exec", tree.at(c.get("exec").value()));
                cleanup = command(e, "cleanup", where + " exec", tree.at(c.get("exec").value()));
            }
        }
        List<String> resolvers = new ArrayList<>();
        if (c.containsKey("resolvers")) {
            List<YamlNode> items = tree.sequence(c.get("resolvers").value(), where + " resolvers");
            for (YamlNode item : items == null ? List.<YamlNode>of() : items) {
                String text = values.string(item, where + " resolvers");
                if (text != null && !hostPort(text)) {
                    diagnostics.error(tree.at(item), where + " resolver '" + text + "' is not HOST:PORT",
                            "Write a name server as HOST:PORT, e.g. 127.0.0.1:8053 or [::1]:53.");
                } else if (text != null) {
                    resolvers.add(text);
                }
            }
        }
        String endpoint = c.containsKey("endpoint") ? urls.url(c, "endpoint", where, null, false) : null;
        if (dns == null) {
            return null;
        }
        return new AcmeSpec.Challenge(dns, present, cleanup, resolvers, endpoint);
    }

    /** A command: a non-empty list of words, run without a shell. */
    private List<String> command(Map<String, YamlTree.Entry> e, String key, String where, SourceRange range) {
        if (!e.containsKey(key)) {
            diagnostics.error(range, where + " is missing '" + key + "'", "Give the command as a list of words,"
                    + " e.g. " + key + ": [./dns-hook, " + key + "].");
            return List.of();
        }
        List<YamlNode> items = tree.sequence(e.get(key).value(), where + " " + key);
        if (items == null) {
            return List.of();
        }
        if (items.isEmpty()) {
            diagnostics.error(tree.at(e.get(key).value()), where + " " + key + " is an empty command",
                    "Give the program and its arguments, e.g. " + key + ": [./dns-hook, " + key + "].");
            return List.of();
        }
        List<String> words = new ArrayList<>();
        for (YamlNode item : items) {
            String word = values.string(item, where + " " + key);
            if (word != null) {
                words.add(word);
            }
        }
        return words;
    }

    static boolean hostPort(String text) {
        Matcher m = HOST_PORT.matcher(text);
        if (!m.matches()) {
            return false;
        }
        int port = Integer.parseInt(m.group(2));
        String host = m.group(1);
        return port >= 1 && port <= 65535 && !host.startsWith(".") && !host.endsWith(".") && !host.contains("..");
    }
}
