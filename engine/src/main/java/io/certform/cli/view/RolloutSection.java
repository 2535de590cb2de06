package io.certform.cli.view;

import io.certform.rollout.RolloutPlan;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The waves of a plan as each view shows them: a short section of text (and markdown), listing the addresses of
 * the first waves when they are few, and the {@code rollout} object of the JSON plan, listing them all.
 */
final class RolloutSection {

    private RolloutSection() {
    }

    /**
     * {@code Rollout: 3 waves: 1, 20, 179 bindings; verify tls; on failure rollback (...)}, then each wave of at
     * most {@link RolloutPlan#ADDRESSES_LISTED} bindings with its addresses (a larger one by its first and last),
     * then the notes.
     */
    static List<String> lines(RolloutPlan rollout) {
        List<String> lines = new ArrayList<>();
        lines.add(rollout.summary() + ".");
        for (RolloutPlan.Wave wave : rollout.waves()) {
            List<String> a = wave.addresses();
            String head = "  " + wave.label() + ": ";
            if (a.size() <= RolloutPlan.ADDRESSES_LISTED) {
                lines.add(head + String.join(", ", a));
            } else {
                lines.add(head + a.size() + " bindings, " + a.get(0) + " ... " + a.get(a.size() - 1));
            }
        }
        rollout.notes().forEach(lines::add);
        return lines;
    }

    /** The {@code rollout} object of the JSON plan. */
    static ObjectNode json(RolloutPlan rollout, JsonMapper json) {
        ObjectNode node = json.createObjectNode();
        ArrayNode sizes = node.putArray("wave_sizes");
        rollout.sizes().forEach(s -> {
            if (s.count() > 0) {
                sizes.add(s.count());
            } else {
                sizes.add(s.percent() + "%");
            }
        });
        node.put("last_wave_takes_the_rest", rollout.restImplied());
        ArrayNode waves = node.putArray("waves");
        for (RolloutPlan.Wave wave : rollout.waves()) {
            ObjectNode w = waves.addObject();
            w.put("wave", wave.number());
            if (wave.provider() != null) {
                w.put("provider", wave.provider());
            }
            w.put("bindings", wave.addresses().size());
            wave.addresses().forEach(w.putArray("addresses")::add);
        }
        rollout.afterWaves().forEach(node.putArray("after_waves")::add);
        node.put("verify", rollout.verify().word());
        node.put("max_failures", rollout.maxFailures());
        node.put("on_failure", rollout.onFailure().word());
        return node;
    }
}
