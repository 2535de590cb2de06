package io.certform.workflow;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import io.certform.remote.RemoteReadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bindings whose remote side could not be read, gathered by cause: credentials the gateway refused, or an instance
 * that does not exist, stop every binding they touch for one reason, which is reported once with the bindings it
 * stopped, not once per binding. Any other failure is its own.
 */
final class ReadFailures {

    /** Addresses named in a message before "and N more". */
    static final int NAMED = 5;

    private record Cause(RemoteReadException first, SourceRange at, String alone, List<String> addresses) {
    }

    private final Map<String, Cause> causes = new LinkedHashMap<>();

    /**
     * Records that {@code address} (on {@code instanceId}, declared at {@code at}) could not be read because of
     * {@code e}; {@code alone} is the message when it is the only binding with that cause.
     */
    void add(String address, String instanceId, SourceRange at, String alone, RemoteReadException e) {
        String key = switch (e.kind()) {
            // one cause whatever the group it was met in: the credentials, or the instance
            case REFUSED -> "refused";
            case INSTANCE_NOT_FOUND -> "instance\u0000" + instanceId;
            default -> "one\u0000" + address;
        };
        causes.computeIfAbsent(key, k -> new Cause(e, at, alone, new ArrayList<>())).addresses().add(address);
    }

    /**
     * One error per cause, at the first binding's place: its own message when it stopped one binding, else
     * {@code cannot <verb> N bindings (a, b, ..., and K more): why}.
     */
    void report(Diagnostics diagnostics, String verb, String detail) {
        for (Cause c : causes.values()) {
            List<String> a = c.addresses();
            if (a.size() == 1) {
                diagnostics.error(c.at(), c.alone(), detail);
                continue;
            }
            String which = a.size() + " bindings (" + String.join(", ", a.subList(0, Math.min(NAMED, a.size())))
                    + (a.size() > NAMED ? ", and " + (a.size() - NAMED) + " more" : "") + ")";
            diagnostics.error(c.at(), "cannot " + verb + " " + which + ": " + c.first().getMessage(), detail);
        }
    }
}
