package io.certform.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * dns-01 through Huawei Cloud DNS: the challenge record goes in the public zone whose name is the longest suffix
 * of the domain; the values of one record name (a wildcard's and its apex's) share one record set; the wait asks
 * the zone's authoritative name servers, or the {@code resolvers} given instead; cleanup removes our value, and
 * the record set with the last one.
 */
public final class HuaweiDnsSolver implements Dns01Solver {

    static final int TTL = 60;

    private final HuaweiDnsClient client;
    private final List<String> resolvers;
    private final Duration poll;

    /** @param resolvers name servers to ask instead of the zone's ({@code host} or {@code host:port}); empty: the zone's */
    public HuaweiDnsSolver(HuaweiDnsClient client, List<String> resolvers, Duration poll) {
        this.client = client;
        this.resolvers = List.copyOf(resolvers);
        this.poll = poll;
    }

    /** The zone that holds {@code name}: the public zone whose name is its longest suffix. */
    public HuaweiDnsClient.Zone zoneOf(String name) {
        String fqdn = name.toLowerCase(java.util.Locale.ROOT).endsWith(".") ? name.toLowerCase(java.util.Locale.ROOT)
                : name.toLowerCase(java.util.Locale.ROOT) + ".";
        HuaweiDnsClient.Zone best = null;
        List<String> names = new ArrayList<>();
        for (HuaweiDnsClient.Zone zone : client.zones()) {
            String zoneName = zone.name().toLowerCase(java.util.Locale.ROOT);
            names.add(zoneName);
            if ((fqdn.equals(zoneName) || fqdn.endsWith("." + zoneName))
                    && (best == null || zoneName.length() > best.name().length())) {
                best = zone;
            }
        }
        if (best == null) {
            throw new DnsException("no Huawei Cloud DNS public zone holds " + fqdn + " (the account's zones: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + "): create the zone, use the"
                    + " credentials of the account that holds it, or solve this name with an exec hook");
        }
        return best;
    }

    @Override
    public Challenge present(String domain, String value) {
        String record = Dns01Solver.recordName(domain);
        HuaweiDnsClient.Zone zone = zoneOf(record);
        List<HuaweiDnsClient.RecordSet> sets = client.recordSets(zone, record, "TXT");
        if (sets.isEmpty()) {
            try {
                client.createTxt(zone, record, List.of(value), TTL);
                return new Challenge(domain, record, value, zone.name());
            } catch (DnsException e) {
                // another solver (the other challenge of a wildcard and its apex) made it first: add to it
                sets = client.recordSets(zone, record, "TXT");
                if (sets.isEmpty()) {
                    throw e;
                }
            }
        }
        {
            HuaweiDnsClient.RecordSet set = sets.get(0);
            List<String> values = values(set);
            if (!values.contains(value)) {
                values.add(value);
                client.updateTxt(zone, set, values);
            }
        }
        return new Challenge(domain, record, value, zone.name());
    }

    @Override
    public void awaitVisible(Challenge challenge, Duration limit) {
        new AuthoritativeCheck(nameServers(challenge), poll, Duration.ofSeconds(5)).await(challenge.record(),
                challenge.value(), limit);
    }

    /** The {@code resolvers} given, else the name servers of the zone that holds the record. */
    @Override
    public List<String> nameServers(Challenge challenge) {
        return resolvers.isEmpty() ? client.nameServers(zoneOf(challenge.record())) : resolvers;
    }

    @Override
    public void cleanup(Challenge challenge) {
        HuaweiDnsClient.Zone zone = zoneOf(challenge.record());
        for (HuaweiDnsClient.RecordSet set : client.recordSets(zone, challenge.record(), "TXT")) {
            List<String> values = values(set);
            if (!values.remove(challenge.value())) {
                continue; // not ours, or already removed
            }
            if (values.isEmpty()) {
                client.delete(zone, set);
            } else {
                client.updateTxt(zone, set, values);
            }
        }
    }

    private static List<String> values(HuaweiDnsClient.RecordSet set) {
        List<String> values = new ArrayList<>();
        set.records().forEach(r -> values.add(HuaweiDnsClient.unquote(r)));
        return values;
    }
}
