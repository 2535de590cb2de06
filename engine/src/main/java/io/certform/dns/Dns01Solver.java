package io.certform.dns;

import java.time.Duration;
import java.util.Locale;

/**
 * Puts a dns-01 challenge's TXT value where the CA will look ({@code _acme-challenge.NAME.}), waits until it is
 * visible there, and takes it away again. The challenges of a wildcard and of its apex share one record name: a
 * solver keeps both values side by side, and cleaning one up leaves the other.
 */
public interface Dns01Solver {

    /** Publishes {@code value} at the challenge record of {@code domain} ({@code *.example.com} or {@code example.com}). */
    Challenge present(String domain, String value);

    /** Returns once the record answers {@code value} where the CA will ask; throws {@link DnsException} at the limit. */
    void awaitVisible(Challenge challenge, Duration limit);

    /** Removes the value {@link #present} published (the record too when nothing else is left in it); idempotent. */
    void cleanup(Challenge challenge);

    /**
     * The name servers this solver asks for {@code challenge}'s record ({@code host} or {@code host:port}): those the
     * CA asks too, so what they answer tells why a validation failed. Empty when the solver asks none.
     */
    default java.util.List<String> nameServers(Challenge challenge) {
        return java.util.List.of();
    }

    /**
     * A presented challenge: what {@link #cleanup} needs, also after a restart.
     *
     * @param domain the name the certificate is for, as given
     * @param record the TXT record's name, {@code _acme-challenge.example.com.}
     * @param value  the TXT value (the key authorization's digest; not a secret)
     * @param zone   the zone that holds the record (its name), or null when the solver does not know it
     */
    record Challenge(String domain, String record, String value, String zone) {
    }

    /** {@code _acme-challenge.} and {@code domain} without its {@code *.}, in lower case with the trailing dot. */
    static String recordName(String domain) {
        String name = domain.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("*.")) {
            name = name.substring(2);
        }
        if (name.isEmpty() || name.equals(".") || name.contains("*")) {
            throw new DnsException("'" + domain + "' is not a domain name a dns-01 challenge can be made for:"
                    + " expected a name like shop.example.com or *.example.com");
        }
        return "_acme-challenge." + (name.endsWith(".") ? name : name + ".");
    }
}
