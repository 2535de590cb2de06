package io.certform.plan;

import io.certform.state.ResourceState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Moves between gateways: a binding (or a shared certificate resource) whose provider changed, same certificate key
 * and same domain, is planned as a create (or an adoption) at the new address and a delete of the old one, both
 * with {@link Reason#PROVIDER_MOVED}. The delete waits for its create: it is run only once the create succeeded, so
 * the domain is never without its certificate; a failed create leaves the old binding in place and recorded.
 *
 * <p>The pairing is read from the changes themselves (their reason and addresses), so it survives every copy of a
 * plan: targets, replacements, a saved plan.
 *
 * @param create the address of the create (or adoption) on the new provider
 * @param delete the key of the delete on the old provider ({@link ResourceChange#key()})
 * @param from   the old provider's name
 * @param to     the new provider's name
 */
public record Moves(String create, String delete, String from, String to) {

    /** "moved from provider.A to provider.B": the reason as the plan shows it on both halves. */
    public String describe() {
        return "moved from " + ResourceState.PROVIDER_PREFIX + from + " to " + ResourceState.PROVIDER_PREFIX + to;
    }

    /** Every move of the plan, in the plan's order of the deletes. */
    public static List<Moves> of(Plan plan) {
        return of(plan.changes());
    }

    /** The move whose delete (by key) waits for a create, if {@code deleteKey} is one. */
    public static Optional<Moves> waitingDelete(Plan plan, String deleteKey) {
        return of(plan).stream().filter(m -> m.delete().equals(deleteKey)).findFirst();
    }

    /** The move {@code change} is half of, if any. */
    public static Optional<Moves> of(Plan plan, ResourceChange change) {
        return of(plan).stream().filter(m -> m.delete().equals(change.key()) || m.create().equals(change.address()))
                .findFirst();
    }

    static List<Moves> of(List<ResourceChange> changes) {
        Map<String, ResourceChange> creates = new HashMap<>();
        for (ResourceChange c : changes) {
            if (c.reasons().contains(Reason.PROVIDER_MOVED) && c.after() != null) {
                creates.putIfAbsent(bare(c.address()), c);
            }
        }
        List<Moves> moves = new ArrayList<>();
        for (ResourceChange c : changes) {
            if (c.reasons().contains(Reason.PROVIDER_MOVED) && c.action() == Action.DELETE) {
                ResourceChange create = creates.get(bare(c.address()));
                if (create != null && !create.provider().equals(c.provider())) {
                    moves.add(new Moves(create.address(), c.key(), c.provider(), create.provider()));
                }
            }
        }
        return moves;
    }

    /**
     * Marks the moves among {@code changes} (in place): a delete because the manifest no longer has the address,
     * and a create (or adoption) of the same certificate key and domain under another provider.
     */
    static void mark(List<ResourceChange> changes) {
        Map<String, List<Integer>> creates = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            ResourceChange c = changes.get(i);
            if ((c.action() == Action.CREATE && c.reasons().contains(Reason.NOT_IN_STATE))
                    || (c.action() == Action.ADOPT && c.before() == null)) {
                creates.computeIfAbsent(bare(c.address()), k -> new ArrayList<>()).add(i);
            }
        }
        if (creates.isEmpty()) {
            return;
        }
        for (int i = 0; i < changes.size(); i++) {
            ResourceChange c = changes.get(i);
            if (c.action() != Action.DELETE || c.deposed() || !c.reasons().equals(java.util.Set.of(
                    Reason.REMOVED_FROM_MANIFEST))) {
                continue;
            }
            List<Integer> candidates = creates.get(bare(c.address()));
            if (candidates == null) {
                continue;
            }
            for (int j : candidates) {
                ResourceChange create = changes.get(j);
                if (create.provider().equals(c.provider()) || create.reasons().contains(Reason.PROVIDER_MOVED)) {
                    continue;
                }
                EnumSet<Reason> reasons = EnumSet.copyOf(create.reasons());
                reasons.remove(Reason.NOT_IN_STATE);
                reasons.add(Reason.PROVIDER_MOVED);
                changes.set(j, new ResourceChange(create.address(), create.action(), reasons, create.before(),
                        create.after(), create.adopted()));
                changes.set(i, new ResourceChange(c.address(), Action.DELETE, java.util.Set.of(Reason.PROVIDER_MOVED),
                        c.before(), null));
                break;
            }
        }
    }

    /** The address without its {@code provider.P.} prefix, lower-cased: what a move keeps. */
    static String bare(String address) {
        String provider = ResourceState.providerOf(address);
        String rest = ResourceState.DEFAULT_PROVIDER.equals(provider) && !address.startsWith(
                ResourceState.PROVIDER_PREFIX + provider + ".") ? address
                : address.substring(ResourceState.PROVIDER_PREFIX.length() + provider.length() + 1);
        return rest.toLowerCase(Locale.ROOT);
    }
}
