package io.certform.cli.view;

import io.certform.plan.Action;
import io.certform.plan.Moves;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A fleet's plan as the views show it: the changes grouped by provider (the default provider first, then the
 * others by name) when more than one provider has changes, one summary per provider, and the reason of a move
 * between gateways with both providers named.
 */
final class ProviderGroups {

    private ProviderGroups() {
    }

    /** The changes by provider, the default first, then by name; each group in the plan's order. */
    static Map<String, List<ResourceChange>> of(List<ResourceChange> changes) {
        Map<String, List<ResourceChange>> others = new TreeMap<>();
        List<ResourceChange> defaults = new ArrayList<>();
        for (ResourceChange c : changes) {
            if (c.provider().equals(ResourceState.DEFAULT_PROVIDER)) {
                defaults.add(c);
            } else {
                others.computeIfAbsent(c.provider(), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, List<ResourceChange>> groups = new LinkedHashMap<>();
        if (!defaults.isEmpty()) {
            groups.put(ResourceState.DEFAULT_PROVIDER, defaults);
        }
        groups.putAll(others);
        return groups;
    }

    /** The providers with changes, when more than one has: what the views group by (empty otherwise). */
    static Map<String, List<ResourceChange>> whenSeveral(Plan plan) {
        Map<String, List<ResourceChange>> groups = of(plan.changes().stream().filter(c -> c.action().changes())
                .toList());
        return groups.size() > 1 ? groups : Map.of();
    }

    /** The heading of a provider's changes: {@code provider.eu}, {@code provider.default}. */
    static String heading(String provider) {
        return ResourceState.PROVIDER_PREFIX + provider;
    }

    /** Per provider with changes, {@code provider.eu: 1 to add, 0 to change, 0 to destroy.} (none for one provider). */
    static List<String> summaries(Plan plan) {
        Map<String, List<ResourceChange>> several = whenSeveral(plan);
        List<String> lines = new ArrayList<>();
        several.keySet().forEach(p -> lines.add(heading(p) + ": " + HumanPlanView.summary(plan.with(
                plan.changes().stream().filter(c -> c.provider().equals(p)).toList()))));
        return lines;
    }

    /** The reasons in words; a move between gateways says from which provider to which. */
    static String reasons(ResourceChange c, List<Moves> moves) {
        return c.reasons().stream().sorted().map(r -> r == Reason.PROVIDER_MOVED ? moves.stream()
                .filter(m -> m.delete().equals(c.key()) || (c.action() != Action.DELETE && m.create().equals(c.address())))
                .findFirst().map(Moves::describe).orElse(r.text()) : r.text()).collect(Collectors.joining(", "));
    }
}
