package io.certform.state;


/**
 * Who holds the state lock.
 *
 * @param id        what {@code certform force-unlock} takes
 * @param operation e.g. {@code apply}
 * @param who       {@code user@host}
 * @param created   ISO-8601 instant
 * @param expires   when a lease ends unless its holder renews it (ISO-8601 instant); null for a lock that lasts as
 *                  long as its process
 */
public record StateLock(String id, String operation,
                        String who, long pid,
                        String created, String host,
                        String expires) {

    /** This machine's name, as a lock names its holder: HOSTNAME, else what the network stack says. */
    public static final String HOST = findHost();

    /** This process's user, as a lock names its holder. */
    public static String user() {
        String user = System.getProperty("user.name");
        return user == null ? "unknown" : user;
    }

    private static String findHost() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** A lock held for as long as its process lives. */
    public StateLock(String id, String operation, String who, long pid, String created, String host) {
        this(id, operation, who, pid, created, host, null);
    }
}
