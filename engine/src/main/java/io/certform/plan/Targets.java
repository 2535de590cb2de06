package io.certform.plan;

import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --target} and {@code --exclude}: {@code KEY} selects every binding of a certificate, {@code KEY[DOMAIN]}
 * one binding. With targets, only the bindings they select are planned; excludes then remove some.
 */
public record Targets(List<String> targets, List<String> excludes) {

    private static final Pattern ADDRESS = Pattern.compile("^[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]\\s]+])?$");

    public Targets {
        targets = List.copyOf(targets);
        excludes = List.copyOf(excludes);
    }

    public static Targets none() {
        return new Targets(List.of(), List.of());
    }

    public boolean active() {
        return !targets.isEmpty() || !excludes.isEmpty();
    }

    /** Addresses that are not of the form {@code KEY} or {@code KEY[DOMAIN]}. */
    public List<String> invalid() {
        List<String> bad = new ArrayList<>();
        targets.stream().filter(t -> !ADDRESS.matcher(t).matches()).forEach(bad::add);
        excludes.stream().filter(t -> !ADDRESS.matcher(t).matches()).forEach(bad::add);
        return bad;
    }

    public boolean selects(String address) {
        boolean targeted = targets.isEmpty() || targets.stream().anyMatch(t -> matches(t, address));
        return targeted && excludes.stream().noneMatch(e -> matches(e, address));
    }

    /** The plan with only the selected changes. */
    public Plan filter(Plan plan) {
        if (!active()) {
            return plan;
        }
        return new Plan(plan.changes().stream().filter(c -> selects(c.address())).toList(), plan.lineage(),
                plan.serial());
    }

    /**
     * The state a targeted apply starts from: what the refresh found for the selected bindings, and the others as
     * recorded, so that a targeted run never changes (or drops) a binding it did not select.
     */
    public static State mergeRefreshed(State recorded, State refreshed, Targets targets) {
        Map<String, ResourceState> merged = new LinkedHashMap<>();
        for (ResourceState r : recorded.resources()) {
            if (!targets.selects(r.address())) {
                merged.put(r.address(), r);
            }
        }
        for (ResourceState r : refreshed.resources()) {
            if (targets.selects(r.address())) {
                merged.put(r.address(), r);
            }
        }
        return new State(refreshed.formatVersion(), refreshed.certformVersion(), refreshed.lineage(),
                refreshed.serial(), new ArrayList<>(merged.values()));
    }

    static boolean matches(String pattern, String address) {
        if (pattern.contains("[")) {
            return pattern.equalsIgnoreCase(address);
        }
        return address.startsWith(pattern + "[");
    }
}
