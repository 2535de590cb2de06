package io.certform.state;

import java.util.Locale;

/**
 * The gateway a state describes, recorded in the state ({@code "gateway"}): its service, its endpoint (the base URL,
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
     * {@code state} as a run against {@code current} may use it: refused when it records another gateway; given
     * {@code current} when it records none (written by an earlier certform, or not yet), so the next write records it.
     *
     * @param where the state's name, for the message
     */
    public static State check(State state, Gateway current, String where, JournalPending journalPending)
            throws StateException {
        if (current == null || state == null) {
            return state;
        }
        Gateway recorded = state.gateway();
        if (recorded == null) {
            // A journal left by an earlier run holds calls made to a gateway nobody recorded: the state gains this
            // one only once that journal is settled, so a run pointed at the wrong gateway cannot claim the state.
            return journalPending.pending() ? state : state.withGateway(current);
        }
        if (!recorded.sameAs(current)) {
            throw new StateException("the state " + where + " describes another gateway: it records "
                    + recorded.describe() + ", and the manifest names " + current.describe() + ". Nothing was read or"
                    + " sent. Point the manifest's state (or --state) at this gateway's own state, or its provider"
                    + " (endpoint, region, project_id, service) back at the state's gateway.");
        }
        return state;
    }
}
