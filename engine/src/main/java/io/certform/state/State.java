package io.certform.state;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The state file's content.
 *
 * @param lineage   a UUID fixed when the state is created; a saved plan or a copy from another lineage is refused
 * @param serial    bumped on every write
 * @param resources one entry per object, sorted by address, the live object of an address before the objects deposed
 *                  there (their {@code deposedKey}), these by their key
 * @param rollout   the rollout in waves that has not finished, or null ({@link RolloutProgress})
 */
public record State(
        int formatVersion,
        String certformVersion,
        String lineage,
        long serial,
        Gateway gateway,
        List<ResourceState> resources,
        RolloutProgress rollout) {

    /**
     * The format this certform writes: 2 records a deposed object as {@code "deposed": KEY} beside its plain address
     * (1 wrote it into the address, {@link FormatOneAddress}, which a certform of format 1 would take for a live
     * binding were the mark moved out of the address without a new version).
     */
    public static final int FORMAT_VERSION = 2;

    /** The order of {@link #resources}: by address, the live object first, then the deposed ones by key. */
    public static final Comparator<ResourceState> ORDER = Comparator.comparing(ResourceState::address)
            .thenComparing(ResourceState::deposedKey, Comparator.nullsFirst(Comparator.naturalOrder()));

    public State {
        resources = resources == null ? List.of() : resources.stream().sorted(ORDER).toList();
    }

    /** A state that records no gateway (yet) and no rollout in progress. */
    public State(int formatVersion, String certformVersion, String lineage, long serial,
                 List<ResourceState> resources) {
        this(formatVersion, certformVersion, lineage, serial, null, resources, null);
    }

    /** The same state (same serial) recording {@code progress} as the rollout in progress (null: none). */
    public State withRollout(RolloutProgress progress) {
        return new State(formatVersion, certformVersion, lineage, serial, gateway, resources, progress);
    }

    /** The same state, recording {@code newGateway} as the gateway it describes. */
    public State withGateway(Gateway newGateway) {
        return new State(formatVersion, certformVersion, lineage, serial, newGateway, resources, rollout);
    }

    /** The same lineage, serial, gateway and rollout with other resources (a refreshed or replayed view; not a new
     * version). */
    public State withResources(List<ResourceState> newResources) {
        return new State(formatVersion, certformVersion, lineage, serial, gateway, newResources, rollout);
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
        return new State(FORMAT_VERSION, writerVersion, lineage, serial + 1, gateway, newResources, rollout);
    }
}
