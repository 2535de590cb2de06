package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.state.DatabindForm;
import io.certform.state.ResourceState;
import io.certform.state.StateCodecTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A saved plan's recorded bindings are written and read by the state's codec: the same bytes as databind wrote from
 * the annotations {@link ResourceState} carried before (plans written by an earlier certform read as they did, and a
 * plan file does not change), for random bindings with every property null or set.
 */
class SavedPlanResourceFormTest {

    /** How saved plans were written before: databind over the annotated records. */
    private static final JsonMapper BEFORE = DatabindForm.annotate(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    @Test
    void aPlanFile_hasTheBytesItHadBefore_andReadsAsBefore() {
        Random random = new Random(5);
        for (int round = 0; round < 100; round++) {
            SavedPlan.File file = randomFile(random);
            byte[] before = BEFORE.writeValueAsBytes(file);
            assertEquals(new String(before, StandardCharsets.UTF_8),
                    new String(SavedPlan.bytes(file), StandardCharsets.UTF_8), "round " + round);
            assertEquals(BEFORE.readValue(before, SavedPlan.File.class), SavedPlan.parse(before), "round " + round);
            assertEquals(file, SavedPlan.parse(SavedPlan.bytes(file)), "round " + round);
        }
    }

    @Test
    void aPlanFileWrittenBefore_reads() {
        String json = writtenBefore("""
                [{"address": "shop[api.example.com]", "certificate": "shop",
                  "serial_number": 1234, "unknown": {"x": [1]}, "san": null}]""", """
                [{"address": "shop[api.example.com]", "action": "update", "reasons": [],
                  "before": {"address": "shop[api.example.com]", "ssl_id": "c49"}, "after": null,
                  "after_certificate": null}]""");
        SavedPlan.File read = SavedPlan.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(BEFORE.readValue(json, SavedPlan.File.class), read);
        assertEquals("1234", read.priorResources().get(0).serialNumber());
        assertEquals("c49", read.changes().get(0).before().sslId());
    }

    @Test
    void aPlanFileWrittenBefore_withADeposedObjectMarkedInItsAddress_readsItAsStructure() {
        String json = writtenBefore("""
                [{"address": "wild", "certificate": "wild", "ssl_id": "new", "model": "shared"},
                 {"address": "wild#deposed-old", "certificate": "wild", "ssl_id": "old", "model": "shared"}]""", """
                [{"address": "wild#deposed-old", "action": "delete", "reasons": ["deposed"],
                  "before": {"address": "wild#deposed-old", "certificate": "wild", "ssl_id": "old", "model": "shared"},
                  "after": null, "after_certificate": null}]""");
        SavedPlan.File read = SavedPlan.parse(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("wild", "wild (deposed old)"),
                read.priorResources().stream().map(ResourceState::key).toList());
        io.certform.plan.ResourceChange change = SavedPlan.review(read).plan().changes().get(0);
        assertEquals("wild", change.address(), "the change's address is the plain address");
        assertEquals("wild (deposed old)", change.key());
        assertEquals("old", change.before().deposedKey());
        SavedPlan.File withWaves = SavedPlan.parse(json.replace("\"changes\":", """
                "rollout": {"wave_sizes": ["100%"], "waves": [["wild#deposed-old"]], "after_waves": [],
                            "verify": "none", "max_failures": 0, "on_failure": "stop"}, "changes":""")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(List.of("wild (deposed old)")), SavedPlan.review(withWaves).rollout().waves().stream()
                .map(io.certform.rollout.RolloutPlan.Wave::addresses).toList(), "its waves name the change as now");
    }

    /** A plan file as an earlier certform (plan format 2) wrote one, with these prior resources and changes. */
    private static String writtenBefore(String priorResources, String changes) {
        return """
                {"format": "certform-plan", "format_version": 2, "certform_version": "0.1.0",
                 "manifest": "certform.yaml", "manifest_sha256": "ab", "state": "certform.state.json",
                 "lineage": "L", "serial": 3, "destroy": false, "prior_resources": %s, "changes": %s}
                """.formatted(priorResources, changes);
    }

    private static SavedPlan.File randomFile(Random random) {
        List<ResourceState> prior = new ArrayList<>();
        List<SavedPlan.Change> changes = new ArrayList<>();
        List<SavedPlan.SavedDrift> drift = new ArrayList<>();
        int n = random.nextInt(5);
        for (int i = 0; i < n; i++) {
            ResourceState before = random.nextInt(4) == 0 ? null : StateCodecTest.randomResource(random, i);
            if (before != null) {
                prior.add(before);
            }
            ResourceState after = random.nextInt(4) == 0 ? null : StateCodecTest.randomResource(random, i);
            ResourceState adopted = random.nextInt(3) == 0 ? StateCodecTest.randomResource(random, i) : null;
            changes.add(new SavedPlan.Change("cert_" + i, Action.UPDATE, Set.of(Reason.values()[0]), before, after,
                    null, adopted));
            if (random.nextBoolean()) {
                drift.add(new SavedPlan.SavedDrift("cert_" + i, "changed", before,
                        random.nextBoolean() ? null : StateCodecTest.randomResource(random, i), List.of("ssl_id"),
                        random.nextBoolean()));
            }
        }
        return new SavedPlan.File("certform-plan", 2, "0.1.0", "certform.yaml", "ab", "certform.state.json", "L", 3,
                random.nextBoolean(), prior, drift, changes, null, 1);
    }
}
