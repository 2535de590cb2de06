package io.certform.state;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway a provider's bindings are on, recorded in the state per provider ({@code "gateways": {NAME: ...}}): its service, its endpoint (the base URL,
 * derived from the region when the manifest names only a region, or {@code embedded}) and its project. The instance
 * is each binding's own ({@code instance_id}). A state is used only against the gateway it records: another is
 * refused with both named, before anything is read or sent. A state written before this was recorded gains it on
 * its next write.
 */
public record Gateway(
        String service,
        String endpoint,
        String projectId) {

    /** The embedded simulator's endpoint, whatever loopback port it has this run. */
    public static final String EMBEDDED = "embedded";

    /** Whether both name the same gateway: the same service and project, and the same endpoint (case and a trailing '/' aside). */
    public boolean sameAs(Gateway other) {
        return other != null && java.util.Objects.equals(service, other.service)
                && java.util.Objects.equals(projectId, other.projectId)
                && normal(endpoint).equals(normal(other.endpoint));
    }

    private static String normal(String endpoint) {
        String text = endpoint == null ? "" : endpoint.trim().toLowerCase(Locale.ROOT);
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    /** e.g. {@code roma at https://roma.cn-north-4.myhuaweicloud.com, project 0a1b}. */
    public String describe() {
        return service + " at " + (EMBEDDED.equals(endpoint) ? "the embedded simulator" : endpoint) + ", project "
                + projectId;
    }

    /** Whether the store's journal holds records of an earlier run. */
    @FunctionalInterface
    public interface JournalPending {
        boolean pending() throws StateException;
    }

    /**
     * {@code state} as a run against {@code current} (the default provider's gateway) may use it: as
     * {@link #check(State, Map, String, JournalPending)} with the one provider {@code default}; null checks nothing.
     */
    public static State check(State state, Gateway current, String where, JournalPending journalPending)
            throws StateException {
        if (current == null) {
            return state;
        }
        return check(state, Map.of(ResourceState.DEFAULT_PROVIDER, current), where, journalPending);
    }

    /**
     * {@code state} as a run against {@code current} (each provider of the manifest by name, with the gateway it
     * talks to; a null gateway: not known yet, neither checked nor recorded) may use it, refused before anything is
     * read or sent when
     * <ul>
     * <li>a provider's recorded gateway is not the run's same-named provider's (both named), or</li>
     * <li>the state records objects of a provider the run does not name (they could be neither refreshed nor
     * removed: the provider block stays until they are destroyed, or they are {@code state rm}-ed).</li>
     * </ul>
     * A provider the state records no gateway for is given the run's, so the next write records it (not while an
     * earlier run's journal is pending). A recorded gateway of a provider that has no object left and that the run
     * does not name is dropped.
     *
     * @param where the state's name, for the message
     */
    public static State check(State state, Map<String, Gateway> current, String where, JournalPending journalPending)
            throws StateException {
        if (current == null || current.isEmpty() || state == null) {
            return state;
        }
        Map<String, Integer> unknown = new TreeMap<>();
        for (ResourceState r : state.resources()) {
            if (!current.containsKey(r.provider())) {
                unknown.merge(r.provider(), 1, Integer::sum);
            }
        }
        if (!unknown.isEmpty()) {
            Map.Entry<String, Integer> first = unknown.entrySet().iterator().next();
            throw new StateException("the state " + where + " records " + first.getValue() + " object(s) of the"
                    + " provider '" + first.getKey() + "', which the manifest does not name"
                    + (unknown.size() > 1 ? " (and of " + String.join(", ", names(unknown.keySet(), first.getKey()))
                    + ")" : "") + "; it names " + String.join(", ", names(current.keySet(), null)) + ". Nothing was"
                    + " read or sent. Keep the provider block until its bindings are destroyed, or 'certform state rm'"
                    + " them.");
        }
        Map<String, Gateway> next = new TreeMap<>(state.gateways());
        boolean pendingChecked = false;
        boolean pending = false;
        for (Map.Entry<String, Gateway> run : new TreeMap<>(current).entrySet()) {
            String provider = run.getKey();
            Gateway wanted = run.getValue();
            if (wanted == null) {
                continue;
            }
            Gateway recorded = state.gateway(provider);
            if (recorded == null) {
                // A journal left by an earlier run holds calls made to a gateway nobody recorded: the state gains
                // this one only once that journal is settled, so a run pointed at the wrong gateway cannot claim it.
                if (!pendingChecked) {
                    pending = journalPending.pending();
                    pendingChecked = true;
                }
                if (!pending) {
                    next.put(provider, wanted);
                }
            } else if (!recorded.sameAs(wanted)) {
                throw another(where, provider, recorded, wanted);
            }
        }
        next.keySet().removeIf(provider -> !current.containsKey(provider)); // no object left (checked above)
        return next.equals(state.gateways()) ? state : state.withGateways(next);
    }

    private static StateException another(String where, String provider, Gateway recorded, Gateway wanted) {
        if (ResourceState.DEFAULT_PROVIDER.equals(provider)) {
            return new StateException("the state " + where + " describes another gateway: it records "
                    + recorded.describe() + ", and the manifest names " + wanted.describe() + ". Nothing was read or"
                    + " sent. Point the manifest's state (or --state) at this gateway's own state, or its provider"
                    + " (endpoint, region, project_id, service) back at the state's gateway.");
        }
        return new StateException("the state " + where + " describes another gateway for the provider '" + provider
                + "': it records " + recorded.describe() + ", and the manifest's provider '" + provider + "' names "
                + wanted.describe() + ". Nothing was read or sent. Point the provider '" + provider + "' (endpoint,"
                + " region, project_id, service) back at the state's gateway, or move its bindings to a provider of"
                + " their own name.");
    }

    private static List<String> names(java.util.Collection<String> names, String except) {
        return names.stream().filter(n -> !n.equals(except)).sorted().map(n -> "'" + n + "'").toList();
    }
}
