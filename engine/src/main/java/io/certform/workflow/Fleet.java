package io.certform.workflow;

import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's sessions, one per provider of the manifest (in declared order, the default first): made once, closed
 * once. Each session opens its client on first use, as a single one does, so a provider the run reads nothing from
 * needs no credentials and starts no embedded simulator; each embedded provider has its own simulator and world
 * file.
 */
public final class Fleet implements AutoCloseable {

    private final Map<String, ProviderSession> sessions;

    private Fleet(Map<String, ProviderSession> sessions) {
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException("a fleet has at least one provider");
        }
        this.sessions = Collections.unmodifiableMap(new LinkedHashMap<>(sessions));
    }

    /** One session: a manifest of one provider (named as its block is: {@code default}, or its name under providers:). */
    public static Fleet of(ProviderSession session) {
        return new Fleet(Map.of(session.provider().name(), session));
    }

    /** The sessions by provider name, in the order given. */
    public static Fleet of(Map<String, ProviderSession> sessions) {
        return new Fleet(sessions);
    }

    /** The sessions by provider name, in declared order. */
    public Map<String, ProviderSession> sessions() {
        return sessions;
    }

    /** The providers' names, in declared order. */
    public List<String> providers() {
        return new ArrayList<>(sessions.keySet());
    }

    /** More than one provider: the plan groups its changes, the HTTP log labels its calls. */
    public boolean several() {
        return sessions.size() > 1;
    }

    /**
     * The session of {@code provider}. A name the fleet does not know is refused naming the ones it does (the state's
     * check refuses a recorded provider the manifest dropped before anything is read, so this is a program error).
     */
    public ProviderSession session(String provider) throws ProviderException {
        ProviderSession session = sessions.get(provider);
        if (session == null) {
            throw new ProviderException("no provider named '" + provider + "' in the manifest (it has "
                    + String.join(", ", sessions.keySet()) + ").");
        }
        return session;
    }

    /** The default provider's session, else the first declared: what a command of one gateway uses. */
    public ProviderSession first() {
        ProviderSession session = sessions.get(io.certform.state.ResourceState.DEFAULT_PROVIDER);
        return session != null ? session : sessions.values().iterator().next();
    }

    /** Closes every session (each saves its embedded world); the first failure is thrown, the others suppressed. */
    @Override
    public void close() throws ProviderException {
        ProviderException first = null;
        for (ProviderSession session : sessions.values()) {
            try {
                session.close();
            } catch (ProviderException | RuntimeException e) {
                ProviderException wrapped = e instanceof ProviderException p ? p
                        : new ProviderException(e.getMessage(), e);
                if (first == null) {
                    first = wrapped;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
