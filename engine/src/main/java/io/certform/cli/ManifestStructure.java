package io.certform.cli;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.manifest.ManifestParser;
import java.nio.file.Path;
import java.util.List;

/**
 * The manifest as far as its structure goes, for commands that inspect the state (show, state list, state history,
 * completion): unset variables read as empty, so that no key's variable is needed. An unset variable in
 * {@code state.url} is still reported as "not set", in the words validate and plan use, not as an empty URL.
 */
final class ManifestStructure {

    private ManifestStructure() {
    }

    static ManifestParser.Result read(Environment environment, Path file, String display) {
        boolean[] anyUnset = {false};
        ManifestParser.Result lenient = new ManifestParser(name -> {
            String value = environment.get(name);
            if (value == null) {
                anyUnset[0] = true;
                return "";
            }
            return value;
        }).parse(file, display);
        if (lenient.manifest() != null || !anyUnset[0]) {
            return lenient;
        }
        List<Diagnostic> notSet = null;
        Diagnostics out = new Diagnostics();
        for (Diagnostic d : lenient.diagnostics().all()) {
            if (!d.summary().startsWith("state.url is empty: ")) {
                out.add(d);
                continue;
            }
            if (notSet == null) {
                notSet = new ManifestParser(environment).parse(file, display).diagnostics().all().stream()
                        .filter(s -> s.summary().contains(" is not set (state.url")).toList();
            }
            if (notSet.isEmpty()) {
                out.add(d); // set, but empty: the lenient reading's words are right
            } else {
                notSet.forEach(out::add);
            }
        }
        return new ManifestParser.Result(lenient.read(), out);
    }
}
