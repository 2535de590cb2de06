package io.certform.state;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state file's content.
 *
 * @param lineage   a UUID fixed when the state is created; a saved plan or a copy from another lineage is refused
 * @param serial    bumped on every write
 * @param gateways  the gateway each provider's bindings are on, by provider name ({@code default} for the single
 *                  provider), sorted by name; a provider the state has not recorded yet is absent
 * @param resources one entry per object, sorted by address, the live object of an address before the objects deposed
 *                  there (their {@code deposedKey}), these by their key
 * @param rollout   the rollout in waves that has not finished, or null ({@link RolloutProgress})
 */
public record State(
        int formatVersion,
        String certformVersion,
        String lineage,
        long serial,
        Map<String, Gateway> gateways,
        List<ResourceState> resources,
        RolloutProgress rollout) {

    /**
     * The format this certform writes: 3 records a gateway per provider ({@code "gateways"}, where 2 recorded the
     * single {@code "gateway"}) and each resource's {@code "provider"}; 2 records a deposed object as {@code "deposed": KEY} beside its plain address
     * (1 wrote it into the address, {@link FormatOneAddress}, which a certform of format 1 would take for a live
     * binding were the mark moved out of the address without a new version).
     */
    public static final int FORMAT_VERSION = 3;

    /** The order of {@link #resources}: by address, the live object first, then the deposed ones by key. */
    public static final Comparator<ResourceState> ORDER = Comparator.comparing(ResourceState::address)
            .thenComparing(ResourceState::deposedKey, Comparator.nullsFirst(Comparator.naturalOrder()));

    public State {
        resources = resources == null ? List.of() : resources.stream().sorted(ORDER).toList();
        gateways = gateways == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(gateways));
    }

    /** A state whose default provider's gateway is {@code gateway} (null: none recorded yet). */
    public State(int formatVersion, String certformVersion, String lineage, long serial, Gateway gateway,
                 List<ResourceState> resources, RolloutProgress rollout) {
        this(formatVersion, certformVersion, lineage, serial, defaultOnly(gateway), resources, rollout);
    }

    private static Map<String, Gateway> defaultOnly(Gateway gateway) {
        return gateway == null ? Map.of() : Map.of(ResourceState.DEFAULT_PROVIDER, gateway);
    }

    /** The gateway recorded for the provider {@code provider}, or null when the state records none for it. */
    public Gateway gateway(String provider) {
        return gateways.get(provider);
    }

    /** The default provider's recorded gateway ({@code gateway("default")}), or null. */
    public Gateway gateway() {
        return gateway(ResourceState.DEFAULT_PROVIDER);
    }

    /** A state that records no gateway (yet) and no rollout in progress. */
    public State(int formatVersion, String certformVersion, String lineage, long serial,
                 List<ResourceState> resources) {
        this(formatVersion, certformVersion, lineage, serial, Map.<String, Gateway>of(), resources, null);
    }

    /** The same state (same serial) recording {@code progress} as the rollout in progress (null: none). */
    public State withRollout(RolloutProgress progress) {
        return new State(formatVersion, certformVersion, lineage, serial, gateways, resources, progress);
    }

    /** The same state, recording {@code newGateway} as the default provider's gateway. */
    public State withGateway(Gateway newGateway) {
        return withGateway(ResourceState.DEFAULT_PROVIDER, newGateway);
    }

    /** The same state, recording {@code newGateway} as the gateway of {@code provider} (null: none recorded). */
    public State withGateway(String provider, Gateway newGateway) {
        Map<String, Gateway> next = new TreeMap<>(gateways);
        if (newGateway == null) {
            next.remove(provider);
        } else {
            next.put(provider, newGateway);
        }
        return withGateways(next);
    }

    /** The same state, recording {@code newGateways} as the providers' gateways. */
    public State withGateways(Map<String, Gateway> newGateways) {
        return new State(formatVersion, certformVersion, lineage, serial, newGateways, resources, rollout);
    }

    /** The same lineage, serial, gateway and rollout with other resources (a refreshed or replayed view; not a new
     * version). */
    public State withResources(List<ResourceState> newResources) {
        return new State(formatVersion, certformVersion, lineage, serial, gateways, newResources, rollout);
    }

    /** A new, empty state with a fresh lineage; serial 0 means "never written". */
    public static State empty(String certformVersion) {
        return new State(FORMAT_VERSION, certformVersion, UUID.randomUUID().toString(), 0, List.of());
    }

    /**
     * The live object at {@code address} (never one deposed there): a binary search, the resources being sorted by
     * address, the live one first.
     */
    public Optional<ResourceState> resource(String address) {
        int low = 0;
        int high = resources.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = resources.get(middle).address().compareTo(address);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                while (middle > 0 && resources.get(middle - 1).address().equals(address)) {
                    middle--;
                }
                ResourceState first = resources.get(middle);
                return first.deposed() ? Optional.empty() : Optional.of(first);
            }
        }
        return Optional.empty();
    }

    /** The same lineage with new resources and the next serial. */
    public State next(List<ResourceState> newResources, String writerVersion) {
        return new State(FORMAT_VERSION, writerVersion, lineage, serial + 1, gateways, newResources, rollout);
    }
}
