package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.manifest.RolloutSpec;
import io.certform.rollout.RolloutSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** apply's rollout flags over the manifest's block: the settings the execution of a rollout reads. */
class RolloutOptionsTest {

    private static final RolloutSpec MANIFEST = new RolloutSpec(true,
            List.of(RolloutSpec.WaveSize.count(1), RolloutSpec.WaveSize.REST), RolloutSpec.Verify.TLS,
            new RolloutSpec.Probe(8443, new RolloutSpec.HostPort("10.0.0.1", 443), Duration.ofSeconds(3),
                    Duration.ofSeconds(30), null), 2, RolloutSpec.OnFailure.ROLLBACK, null);

    @Test
    void noFlag_keepsTheManifestsBlock_withoutPauseQuestionOrWebhook() {
        RolloutSettings s = new RolloutOptions().settings(MANIFEST, false);
        assertSame(MANIFEST.waves(), s.rollout().waves());
        assertEquals(MANIFEST, s.rollout());
        assertEquals(Duration.ZERO, s.wavePause());
        assertFalse(s.confirmWaves());
        assertNull(s.notifyUrl());
        assertFalse(new RolloutOptions().settings(RolloutSpec.NONE, false).active(), "no block, no flag: no rollout");
    }

    @Test
    void byProvider_isKeptByTheOtherFlags_andReplacedByWaves() {
        RolloutSpec byProvider = new RolloutSpec(true, List.of(RolloutSpec.WaveSize.REST), RolloutSpec.Verify.NONE,
                RolloutSpec.Probe.DEFAULT, 0, RolloutSpec.OnFailure.STOP, null, List.of("staging", "default"));
        RolloutOptions verifying = new RolloutOptions();
        verifying.verify = "tls";
        verifying.maxFailures = 1;
        assertEquals(List.of("staging", "default"), verifying.settings(byProvider, false).rollout().providerOrder());
        RolloutOptions sized = new RolloutOptions();
        sized.waves = "1,100%";
        RolloutSpec r = sized.settings(byProvider, false).rollout();
        assertFalse(r.byProvider(), "--waves makes waves by size over every provider's bindings");
        assertEquals("[1, 100%]", r.waves().toString());
    }

    @Test
    void eachFlag_overridesItsValue_andLeavesTheOthers() {
        RolloutOptions o = new RolloutOptions();
        o.waves = "5, 25%,100%";
        o.verify = "NONE";
        o.maxFailures = 0;
        o.onFailure = "stop";
        o.probeResolve = "[::1]:9443";
        o.wavePause = "2m";
        o.confirmWaves = true;
        o.notify = "https://hooks.example.com/certform?run=1";
        RolloutSettings s = o.settings(MANIFEST, true);
        assertEquals("[5, 25%, 100%]", s.rollout().waves().toString());
        assertEquals(RolloutSpec.Verify.NONE, s.rollout().verify());
        assertEquals(0, s.rollout().maxFailures());
        assertEquals(RolloutSpec.OnFailure.STOP, s.rollout().onFailure());
        assertEquals(new RolloutSpec.HostPort("[::1]", 9443), s.rollout().probe().resolve());
        assertEquals(8443, s.rollout().probe().port(), "the probe's other values stay the manifest's");
        assertEquals(Duration.ofMinutes(2), s.wavePause());
        assertTrue(s.confirmWaves());
        assertEquals(URI.create("https://hooks.example.com/certform?run=1"), s.notifyUrl());
    }

    @Test
    void aFlagThatShapesTheRollout_makesOneWithoutABlock() {
        RolloutOptions o = new RolloutOptions();
        o.verify = "tls";
        RolloutSettings s = o.settings(RolloutSpec.NONE, false);
        assertTrue(s.active());
        assertEquals(List.of(RolloutSpec.WaveSize.REST), s.rollout().waves());
        RolloutOptions pauseOnly = new RolloutOptions();
        pauseOnly.wavePause = "1s";
        assertFalse(pauseOnly.settings(RolloutSpec.NONE, false).active(), "a pause alone makes no waves");
    }

    @Test
    void confirmWaves_needsATerminal() {
        RolloutOptions o = new RolloutOptions();
        o.confirmWaves = true;
        CliException e = assertThrows(CliException.class, () -> o.settings(MANIFEST, false));
        assertTrue(e.getMessage().contains("standard input is not a terminal"), e.getMessage());
        assertTrue(o.settings(MANIFEST, true).confirmWaves());
    }
}
