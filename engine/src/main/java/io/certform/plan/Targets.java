package io.certform.plan;

import io.certform.state.ResourceState;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code --target} and {@code --exclude}: {@code KEY} selects every binding of a certificate (and its shared
 * certificate resource), {@code KEY[DOMAIN]} one binding. With targets, only the bindings they select are planned; excludes then remove some.
 */
public record Targets(List<String> targets, List<String> excludes) {

    private static final Pattern ADDRESS = Pattern.compile(
            "^(provider\\.[a-z][a-z0-9_-]{0,31}(\\.[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]\\s]+])?)?"
                    + "|[A-Za-z_][A-Za-z0-9_-]*(\\[[^\\]\\s]+])?)$");
    /** How the invalid-address message says what an address looks like. */
    public static final String FORMS = "Write KEY (every binding of a certificate) or KEY[DOMAIN] (one binding), e.g."
            + " shop[api.example.com]; under another provider P, provider.P (every binding of P), provider.P.KEY or"
            + " provider.P.KEY[DOMAIN] (provider.default selects the default provider's).";

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

    /**
     * Addresses that are not of the form {@code KEY}, {@code KEY[DOMAIN]}, {@code provider.P}, {@code provider.P.KEY}
     * or {@code provider.P.KEY[DOMAIN]}.
     */
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

    /**
     * The plan with only the selected changes. A selected attachment of a shared certificate that is to be made
     * (or made anew, or adopted as it is at the gateway) brings that certificate resource's change with it: the
     * attachment needs it.
     */
    public Plan filter(Plan plan) {
        if (!active()) {
            return plan;
        }
        java.util.Set<String> needed = new java.util.HashSet<>();
        for (ResourceChange c : plan.changes()) {
            if (selects(c.address()) && c.after() != null && c.after().shared() && !c.after().certificateResource()) {
                needed.add(c.after().certificateAddress());
            }
        }
        return plan.with(plan.changes().stream().filter(c -> selects(c.address())
                || (needed.contains(c.address()) && (c.action() == Action.CREATE
                || c.action() == Action.CREATE_THEN_DELETE || c.action() == Action.ADOPT))).toList());
    }

    /**
     * The state a targeted apply starts from: what the refresh found for the selected bindings, and the others as
     * recorded, so that a targeted run never changes (or drops) a binding it did not select.
     */
    public static State mergeRefreshed(State recorded, State refreshed, Targets targets) {
        Map<String, ResourceState> merged = new LinkedHashMap<>();
        for (ResourceState r : recorded.resources()) {
            if (!targets.selects(r.address())) {
                merged.put(r.key(), r);
            }
        }
        for (ResourceState r : refreshed.resources()) {
            if (targets.selects(r.address())) {
                merged.put(r.key(), r);
            }
        }
        return refreshed.withResources(new ArrayList<>(merged.values()));
    }

    /**
     * {@code KEY} matches every binding of the certificate, its shared certificate resource ({@code KEY}) and
     * what a replacement deposed; {@code KEY[DOMAIN]} matches that binding and its deposed object (a deposed object
     * keeps its address). {@code provider.P} matches every object of provider P, {@code provider.default} every
     * object of the default provider (whose addresses carry no prefix), and {@code provider.default.KEY[DOMAIN]} is
     * the address {@code KEY[DOMAIN]}.
     */
    static boolean matches(String pattern, String address) {
        String defaultPrefix = ResourceState.PROVIDER_PREFIX + ResourceState.DEFAULT_PROVIDER;
        if (pattern.equals(defaultPrefix)) {
            return ResourceState.providerOf(address).equals(ResourceState.DEFAULT_PROVIDER);
        }
        if (pattern.startsWith(defaultPrefix + ".")) {
            pattern = pattern.substring(defaultPrefix.length() + 1); // the default provider's addresses carry no prefix
        } else if (pattern.startsWith(ResourceState.PROVIDER_PREFIX)
                && pattern.indexOf('.', ResourceState.PROVIDER_PREFIX.length()) < 0) {
            return address.startsWith(pattern + "."); // provider.P: every object of P
        }
        if (pattern.contains("[")) {
            return pattern.equalsIgnoreCase(address);
        }
        return address.equals(pattern) || address.startsWith(pattern + "[");
    }
}
