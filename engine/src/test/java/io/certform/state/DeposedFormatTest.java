package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A deposed object is structure in the state ({@code "deposed": KEY} beside its plain address), and what format 1
 * wrote into the address ({@code ADDRESS#deposed-KEY}) still reads as the same structure: states, journal lines and
 * the resources of saved plans.
 */
class DeposedFormatTest {

    private static final String LIVE = """
            {"address": "shop[a.example.com]", "certificate": "shop", "domain_id": "d1", "ssl_id": "new"}""";

    /** A state as certform of format 1 wrote one in the middle of a replacement. */
    static String formatOneState() {
        return """
                {"format_version": 1, "certform_version": "0.1.0", "lineage": "L", "serial": 7, "resources": [
                  %s,
                  {"address": "shop[a.example.com]#deposed-old", "certificate": "shop", "domain_id": "d1",
                   "ssl_id": "old"},
                  {"address": "wild", "certificate": "wild", "ssl_id": "w2", "model": "shared"},
                  {"address": "wild#deposed", "certificate": "wild", "ssl_id": null, "model": "shared"}]}
                """.formatted(LIVE);
    }

    @Test
    void aFormatOneState_readsItsDeposedObjectsAsStructure_beside_theLiveOnes() {
        State state = StateCodec.read(formatOneState());
        assertEquals(1, state.formatVersion());
        List<String> keys = state.resources().stream().map(ResourceState::key).toList();
        assertEquals(List.of("shop[a.example.com]", "shop[a.example.com] (deposed old)", "wild", "wild (deposed 0)"),
                keys);
        ResourceState deposed = state.resources().get(1);
        assertEquals("shop[a.example.com]", deposed.address(), "the address is the plain address");
        assertEquals("old", deposed.deposedKey());
        assertTrue(deposed.deposed());
        assertEquals("new", state.resource("shop[a.example.com]").orElseThrow().sslId(), "the live one");
        assertEquals("w2", state.resource("wild").orElseThrow().sslId());
    }

    @Test
    void aStateIsWrittenInTheCurrentFormat_withTheKeyBesideThePlainAddress_andReadsBackTheSame() {
        State old = StateCodec.read(formatOneState());
        String text = StateCodec.toText(old);
        assertTrue(text.startsWith("{\"format_version\":" + State.FORMAT_VERSION + ","), text);
        assertFalse(text.contains("#deposed"), text);
        assertTrue(text.contains("{\"address\":\"shop[a.example.com]\",\"provider\":\"default\",\"deposed\":\"old\",\"certificate\""), text);
        State read = StateCodec.read(text);
        assertEquals(State.FORMAT_VERSION, read.formatVersion());
        assertEquals(old.resources(), read.resources());
    }

    @Test
    void formatOneJournalLines_replayOntoTheObjectTheyName() throws Exception {
        State state = StateCodec.read(formatOneState());
        Instant at = Instant.parse("2026-11-28T09:00:00Z");
        List<JournalRecord> records = List.of(
                JournalCodec.decode("{\"kind\":\"intent\",\"op\":\"unbind\",\"address\":\"shop[a.example.com]#deposed-old\","
                        + "\"at\":\"2026-11-28T09:00:00Z\",\"planned\":{\"address\":\"shop[a.example.com]#deposed-old\","
                        + "\"certificate\":\"shop\",\"domain_id\":\"d1\",\"ssl_id\":\"old\"}}", at),
                JournalCodec.decode("{\"kind\":\"done\",\"op\":\"unbind\",\"address\":\"shop[a.example.com]#deposed-old\"}",
                        at),
                JournalCodec.decode("{\"kind\":\"void\",\"address\":\"wild#deposed\"}", at));
        JournalRecord.Intent intent = (JournalRecord.Intent) records.get(0);
        assertEquals("shop[a.example.com]", intent.address());
        assertEquals("old", intent.deposedKey());
        assertEquals("wild (deposed 0)", records.get(2).key());
        State replayed = JournalRecord.replay(state, records);
        assertEquals(List.of("shop[a.example.com]", "wild", "wild (deposed 0)"),
                replayed.resources().stream().map(ResourceState::key).toList(), "only the deposed one went");
        assertEquals(List.of(), JournalRecord.openIntents(records));
    }

    @Test
    void journalLines_carryTheDeposedKey_andALiveObjectsLinesNone() throws Exception {
        ResourceState deposed = StateCodec.read(formatOneState()).resources().get(1);
        String line = new String(JournalCodec.encode(JournalRecord.Done.unbound(deposed)),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"kind\":\"done\",\"op\":\"unbind\",\"address\":\"shop[a.example.com]\",\"deposed\":\"old\"}\n",
                line);
        assertEquals(JournalRecord.Done.unbound(deposed), JournalCodec.decode(line.trim(), Instant.EPOCH));
        String live = new String(JournalCodec.encode(new JournalRecord.Voided("shop[a.example.com]")),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("{\"kind\":\"void\",\"address\":\"shop[a.example.com]\"}\n", live);
        assertNull(JournalCodec.decode(live.trim(), Instant.EPOCH).deposedKey());
    }
}
