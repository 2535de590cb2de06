package io.certform.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Huawei Cloud DNS side of a world: public zones and their record sets, as the record-set API
 * ({@link DnsApi}) and the authoritative server ({@link DnsServer}) see them. A record set is created
 * {@code PENDING_CREATE} and reads {@code ACTIVE} from the next read on; a deleted one is answered
 * {@code PENDING_DELETE} and is gone. Thread-safe.
 */
public final class DnsZones {

    /** The name servers every simulated zone names (as Huawei Cloud's public zones do). */
    public static final List<String> NAME_SERVERS = List.of("ns1.huaweicloud-dns.com.", "ns1.huaweicloud-dns.cn.");

    /** A public zone: its id and its name, lower case with the trailing dot. */
    public record Zone(String id, String name, Instant createdAt) {
    }

    /** One record set; {@code status} is what the last answer said. */
    public record RecordSet(String id, String zoneId, String zoneName, String name, String type, int ttl,
                            List<String> records, String description, String status, Instant createdAt) {
        RecordSet withStatus(String next) {
            return new RecordSet(id, zoneId, zoneName, name, type, ttl, records, description, next, createdAt);
        }
    }

    private final Map<String, Zone> zones = new LinkedHashMap<>();
    private final Map<String, RecordSet> recordSets = new LinkedHashMap<>();
    private long nextId = 1;

    /** Adds a public zone named {@code name} ({@code example.com} or {@code example.com.}); returns it. */
    public synchronized Zone addZone(String name) {
        String fqdn = fqdn(name);
        if (fqdn.equals(".") || fqdn.startsWith(".") || fqdn.contains("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a zone name (expected e.g. example.com.)");
        }
        for (Zone z : zones.values()) {
            if (z.name().equals(fqdn)) {
                return z;
            }
        }
        Zone zone = new Zone(id("zone"), fqdn, Instant.now());
        zones.put(zone.id(), zone);
        return zone;
    }

    public synchronized List<Zone> zones() {
        return List.copyOf(zones.values());
    }

    synchronized Zone zone(String id) {
        Zone zone = zones.get(id);
        if (zone == null) {
            throw new DnsApi.DnsError(404, "DNS.0101", "The zone does not exist.");
        }
        return zone;
    }

    /** The zone that holds {@code name}: the one whose name is its longest suffix, or null. */
    public synchronized Zone zoneOf(String name) {
        String fqdn = fqdn(name);
        Zone best = null;
        for (Zone z : zones.values()) {
            if ((fqdn.equals(z.name()) || fqdn.endsWith("." + z.name()))
                    && (best == null || z.name().length() > best.name().length())) {
                best = z;
            }
        }
        return best;
    }

    /** Creates a record set; a second one of the same name and type in the zone is refused (400). */
    synchronized RecordSet create(String zoneId, String name, String type, Integer ttl, List<String> records,
                                  String description) {
        Zone zone = zone(zoneId);
        if (name == null || type == null || records == null || records.isEmpty()) {
            throw new DnsApi.DnsError(400, "DNS.0002", "Invalid request.");
        }
        String fqdn = fqdn(name);
        if (!fqdn.equals(zone.name()) && !fqdn.endsWith("." + zone.name())) {
            throw new DnsApi.DnsError(400, "DNS.0303", "The record set name " + fqdn + " is not in zone "
                    + zone.name() + ".");
        }
        String upper = type.toUpperCase(Locale.ROOT);
        for (RecordSet r : recordSets.values()) {
            if (r.zoneId().equals(zoneId) && r.name().equals(fqdn) && r.type().equals(upper)) {
                throw new DnsApi.DnsError(400, "DNS.0312", "This record set is in conflict with an existing one.");
            }
        }
        RecordSet made = new RecordSet(id("rs"), zoneId, zone.name(), fqdn, upper, ttl == null ? 300 : ttl,
                List.copyOf(records), description, "PENDING_CREATE", Instant.now());
        recordSets.put(made.id(), made.withStatus("ACTIVE"));
        return made;
    }

    synchronized RecordSet show(String zoneId, String id) {
        zone(zoneId);
        RecordSet r = recordSets.get(id);
        if (r == null || !r.zoneId().equals(zoneId)) {
            throw new DnsApi.DnsError(404, "DNS.0004", "No record sets found.");
        }
        return r;
    }

    /** Replaces what is given of a record set ({@code null}: kept); answered {@code PENDING_UPDATE}. */
    synchronized RecordSet update(String zoneId, String id, Integer ttl, List<String> records, String description) {
        RecordSet r = show(zoneId, id);
        if (records != null && records.isEmpty()) {
            throw new DnsApi.DnsError(400, "DNS.0002", "Invalid request.");
        }
        RecordSet next = new RecordSet(id, zoneId, r.zoneName(), r.name(), r.type(), ttl == null ? r.ttl() : ttl,
                records == null ? r.records() : List.copyOf(records), description == null ? r.description()
                : description, "ACTIVE", r.createdAt());
        recordSets.put(id, next);
        return next.withStatus("PENDING_UPDATE");
    }

    synchronized RecordSet delete(String zoneId, String id) {
        RecordSet r = show(zoneId, id);
        recordSets.remove(id);
        return r.withStatus("PENDING_DELETE");
    }

    /**
     * Adds ({@code present}) or removes a value of the TXT record set {@code name}, as any DNS provider's hook would:
     * the record set is made with the first value and removed with the last. {@code POST /_simulator/dns-txt}.
     */
    public synchronized void txtValue(String name, String value, boolean present) {
        Zone zone = zoneOf(name);
        if (zone == null) {
            throw new DnsApi.DnsError(400, "DNS.0303", "No zone holds " + fqdn(name) + ".");
        }
        String quoted = "\"" + value + "\"";
        List<RecordSet> sets = recordSets(zone.id(), name, "TXT");
        if (sets.isEmpty()) {
            if (present) {
                create(zone.id(), name, "TXT", 60, List.of(quoted), "dns-txt hook");
            }
            return;
        }
        RecordSet set = sets.get(0);
        List<String> values = new ArrayList<>(set.records());
        if (present && !values.contains(quoted)) {
            values.add(quoted);
            update(zone.id(), set.id(), null, values, null);
        } else if (!present && values.remove(quoted)) {
            if (values.isEmpty()) {
                delete(zone.id(), set.id());
            } else {
                update(zone.id(), set.id(), null, values, null);
            }
        }
    }

    /** The record sets of a zone (all zones when {@code zoneId} is null), filtered by exact name and type. */
    public synchronized List<RecordSet> recordSets(String zoneId, String name, String type) {
        List<RecordSet> out = new ArrayList<>();
        for (RecordSet r : recordSets.values()) {
            if ((zoneId == null || r.zoneId().equals(zoneId))
                    && (name == null || name.isEmpty() || r.name().equals(fqdn(name)))
                    && (type == null || type.isEmpty() || r.type().equalsIgnoreCase(type))) {
                out.add(r);
            }
        }
        return out;
    }

    private String id(String kind) {
        return String.format("ff8080%s%020x", kind.equals("zone") ? "82" : "83", nextId++);
    }

    /** {@code name} in lower case with the trailing dot. */
    public static String fqdn(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }
}
