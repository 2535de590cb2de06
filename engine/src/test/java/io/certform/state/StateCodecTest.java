package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The streaming codec against what Jackson's databind makes of the annotations on {@link State} and
 * {@link ResourceState} (saved plans still go through databind): the same bytes out, the same records in, for random
 * records with every property null or set, texts that need escaping, and the lenient inputs databind accepted.
 */
public class StateCodecTest {

    /** How the state file was written before the codec: databind, indented, every property included. */
    private static final JsonMapper INDENTED = DatabindForm.annotateState(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .changeDefaultPropertyInclusion(v -> v.withValueInclusion(JsonInclude.Include.ALWAYS))
            .build();
    private static final JsonMapper COMPACT = DatabindForm.annotateState(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    /** A journal record's resource (and a saved plan's): without the state document's {@code provider}. */
    private static final JsonMapper RESOURCE = DatabindForm.annotate(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final String[] TEXTS = {"", "a", "wild.example.com", "sha\"quoted\"", "back\\slash",
        "line\nbreak\ttab", "ctl\u0001", "ünïcödé 证书", "emoji \uD83D\uDD12", "  spaced  "};

    @Test
    void writesTheBytesDatabindWrote() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            State state = randomState(random, random.nextInt(6));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StateCodec.writeIndented(out, state);
            assertEquals(INDENTED.writeValueAsString(state), out.toString(StandardCharsets.UTF_8), "round " + round);
            assertEquals(COMPACT.writeValueAsString(state), StateCodec.toText(state), "round " + round);
        }
    }

    @Test
    void readsWhatDatabindRead() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            State state = randomState(random, random.nextInt(6));
            byte[] json = INDENTED.writeValueAsBytes(state);
            State read = StateCodec.read(json);
            assertEquals(INDENTED.readValue(json, State.class), read, "round " + round);
            assertEquals(state, read, "round " + round);
            assertEquals(state, StateCodec.read(StateCodec.toText(state)), "round " + round);
        }
    }

    @Test
    void readsLenientlyAsDatabindDid() {
        String json = """
                {"format_version": "1", "lineage": "L", "serial": 4, "extra": {"nested": [1, {"a": null}]},
                 "resources": [{"address": "a[x]", "serial_number": 1234, "issuer": true, "san": ["x", 5],
                                "unknown": [[]], "model": null}]}
                """;
        State viaCodec = StateCodec.read(json);
        assertEquals(COMPACT.readValue(json, State.class), viaCodec);
        ResourceState r = viaCodec.resources().get(0);
        assertEquals("1234", r.serialNumber());
        assertEquals("true", r.issuer());
        assertEquals(List.of("x", "5"), r.san());
        assertNull(r.certificate());
        assertEquals(1, viaCodec.formatVersion());

        State empty = StateCodec.read("{\"lineage\":\"L\",\"resources\":null}");
        assertEquals(List.of(), empty.resources());
        assertNull(StateCodec.read("null"));
    }

    @Test
    void refusesWhatDatabindRefused_withWhere() {
        String json = "{\"lineage\": \"L\",\n \"resources\": [{\"address\": {\"no\": 1}}]}";
        assertThrows(JacksonException.class, () -> COMPACT.readValue(json, State.class));
        JacksonException e = assertThrows(JacksonException.class, () -> StateCodec.read(json));
        assertEquals(2, e.getLocation().getLineNr());
        assertTrue(e.getOriginalMessage().contains("'address'"), e.getOriginalMessage());

        assertThrows(JacksonException.class, () -> StateCodec.read("{\"lineage\": \"L\", \"serial\": \"x\"}"));
        assertThrows(JacksonException.class, () -> StateCodec.read("{\"lineage\": \"L\", \"resources\": {}}"));
        assertThrows(JacksonException.class, () -> StateCodec.read("{\"lineage\": \"L\"} {}"));
        assertThrows(JacksonException.class, () -> StateCodec.read("[1]"));
        assertThrows(JacksonException.class, () -> StateCodec.read("{\"lineage\": \"L\""));
    }

    @Test
    void journalLinesRoundTripEveryRecordKind() throws Exception {
        Random random = new Random(13);
        for (int round = 0; round < 100; round++) {
            ResourceState planned = randomResource(random, round);
            ResourceState done = randomResource(random, round + 1000);
            Instant at = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1_000_000), random.nextInt(1000) * 1000);
            for (JournalRecord.Op op : JournalRecord.Op.values()) {
                JournalRecord.Intent intent = new JournalRecord.Intent(planned.address(), op, planned,
                        random.nextBoolean() ? null : "old-" + round, at);
                assertEquals(intent, roundTrip(intent));
                JournalRecord.Done result = new JournalRecord.Done(planned.address(), planned.deposedKey(), op,
                        op.removes() && random.nextBoolean() ? null : done);
                assertEquals(result, roundTrip(result));
                assertEquals(result.key(), roundTrip(result).key());
            }
            JournalRecord.Voided voided = new JournalRecord.Voided(planned.address(), planned.deposedKey());
            assertEquals(voided, roundTrip(voided));
        }
    }

    @Test
    void aJournalResourceIsWrittenAsDatabindWroteIt() {
        Random random = new Random(17);
        for (int round = 0; round < 100; round++) {
            ResourceState r = randomResource(random, round);
            JournalRecord.Done done = new JournalRecord.Done(r.address(), JournalRecord.Op.BIND, r);
            String line = new String(JournalCodec.encode(done), StandardCharsets.UTF_8);
            String expected = "{\"kind\":\"done\",\"op\":\"" + JournalRecord.Op.BIND.wire() + "\",\"address\":"
                    + COMPACT.writeValueAsString(r.address())
                    + (r.deposed() ? ",\"deposed\":" + COMPACT.writeValueAsString(r.deposedKey()) : "")
                    + ",\"resource\":" + RESOURCE.writeValueAsString(r) + "}\n";
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void locksAreWrittenAndReadAsDatabindDid() {
        Random random = new Random(19);
        for (int round = 0; round < 100; round++) {
            StateLock lock = new StateLock(maybe(random), maybe(random), maybe(random), random.nextInt(1 << 22),
                    maybe(random), maybe(random), maybe(random));
            byte[] json = LockCodec.lockBytes(lock);
            assertArrayEquals(COMPACT.writeValueAsBytes(lock), json, "round " + round);
            assertEquals(lock, LockCodec.readLock(new String(json, StandardCharsets.UTF_8)));
            assertEquals(COMPACT.readValue(json, StateLock.class), LockCodec.readLock(new String(json,
                    StandardCharsets.UTF_8)));
        }
        assertEquals(new StateLock("i", null, null, 7, null, null, null),
                LockCodec.readLock("{\"id\":\"i\",\"pid\":\"7\",\"later\":{\"x\":[1]}}"));
    }

    private static JournalRecord roundTrip(JournalRecord record) throws JournalCodec.BadLine {
        byte[] line = JournalCodec.encode(record);
        assertEquals('\n', line[line.length - 1]);
        return JournalCodec.decode(new String(line, 0, line.length - 1, StandardCharsets.UTF_8), Instant.EPOCH);
    }

    private static State randomState(Random random, int resources) {
        List<ResourceState> list = new ArrayList<>();
        for (int i = 0; i < resources; i++) {
            ResourceState r = randomResource(random, i);
            list.add(random.nextInt(3) > 0 ? r : r.at("provider.eu-" + i + "." + r.address(), r.certificate()));
        }
        java.util.Map<String, Gateway> gateways = new java.util.HashMap<>();
        switch (random.nextInt(4)) {
            case 0 -> { } // a state written before the gateway was recorded
            case 1 -> gateways.put("default", new Gateway("roma", "embedded", maybe(random)));
            case 2 -> gateways.put("default", new Gateway(random.nextBoolean() ? "apig" : null, text(random),
                    text(random)));
            default -> { // a fleet: several providers, the default one or not
                gateways.put("eu-" + random.nextInt(3), new Gateway("apig", text(random), maybe(random)));
                gateways.put(random.nextBoolean() ? "default" : "ap", new Gateway("roma", "embedded", "p"));
            }
        }
        return new State(State.FORMAT_VERSION, random.nextBoolean() ? null : "0.1." + random.nextInt(9),
                "lineage-" + random.nextInt(1000), random.nextInt(1 << 20) + (random.nextBoolean() ? 1L << 40 : 0),
                gateways, list, null);
    }

    /** A resource with every property null or set at random, texts that need escaping among them. */
    public static ResourceState randomResource(Random random, int index) {
        List<String> san = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> List.of();
            default -> List.of(text(random), "*.example.com", text(random));
        };
        return new ResourceState("cert_" + index + "[" + text(random) + "]", maybe(random), maybe(random),
                maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random),
                maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random),
                maybe(random), maybe(random), maybe(random), maybe(random), san,
                random.nextBoolean() ? null : ResourceState.SHARED, maybe(random),
                random.nextInt(3) > 0 ? null : new ResourceState.Seen(maybe(random), maybe(random), maybe(random),
                        maybe(random), maybe(random)), random.nextInt(4) > 0 ? null : "id-" + random.nextInt(9));
    }

    private static String maybe(Random random) {
        return random.nextInt(4) == 0 ? null : text(random);
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }

    @Test
    void aRolloutInProgress_isWrittenAndReadBack_andAStateWithoutOneHasNoRolloutProperty() throws Exception {
        ResourceState replaced = new ResourceState("wild[a.example.com]", "wild", "i", "g", "d", "a.example.com",
                "old-id", "wild_2025", "global", null, "RSA", "aa", "bb", null, "01", "2027-01-01T00:00:00Z", "CA");
        RolloutProgress progress = new RolloutProgress(0, true, List.of()).starting(1, List.of(
                new RolloutProgress.Entry("wild[a.example.com]", 1, "update", replaced),
                new RolloutProgress.Entry("wild[b.example.com]", 1, "create", null)));
        State state = new State(State.FORMAT_VERSION, "v", "L", 3, new Gateway("roma", "embedded", "p"),
                List.of(replaced.bound("new-id", null, null)), progress);
        State read = StateCodec.read(StateCodec.toText(state));
        assertEquals(state, read);
        assertEquals(1, read.rollout().wave());
        assertTrue(!read.rollout().checked());
        assertEquals(replaced, read.rollout().ofWave(1).get(0).replaced());
        assertEquals(progress, read.next(read.resources(), "v").rollout(), "a later write keeps it");
        assertTrue(!StateCodec.toText(state.withRollout(null)).contains("rollout"));
        assertEquals(COMPACT.writeValueAsString(state.withRollout(null)), StateCodec.toText(state.withRollout(null)));
    }

    @Test
    void formatThree_recordsEachProvidersGateway_andEachResourcesProvider_andRefusesAProviderItsAddressDoesNotName() {
        ResourceState eu = new ResourceState("provider.eu.shop[a.example.com]", "shop", "i", "g", "d",
                "a.example.com", "s", "n", "global", null, "RSA", "aa", "bb", null, "01", "2030-01-01T00:00:00Z", "CA");
        ResourceState home = eu.at("shop[a.example.com]", "shop");
        State state = new State(State.FORMAT_VERSION, "v", "L", 3, java.util.Map.of("eu",
                new Gateway("apig", "https://eu", "p2"), "default", new Gateway("roma", "embedded", "p")),
                List.of(eu, home, eu.deposedRecord()), null);
        String text = StateCodec.toText(state);
        assertTrue(text.contains("\"gateways\":{\"default\":{\"service\":\"roma\",\"endpoint\":\"embedded\","
                + "\"project_id\":\"p\"},\"eu\":{\"service\":\"apig\""), text);
        assertTrue(text.contains("{\"address\":\"provider.eu.shop[a.example.com]\",\"provider\":\"eu\",\"deposed\""),
                text);
        assertTrue(text.contains("{\"address\":\"shop[a.example.com]\",\"provider\":\"default\","), text);
        State read = StateCodec.read(text);
        assertEquals(state, read);
        assertEquals(List.of("eu", "eu", "default"), read.resources().stream().map(ResourceState::provider).toList());
        assertEquals(new Gateway("apig", "https://eu", "p2"), read.gateway("eu"));

        String wrong = text.replace("\"provider\":\"default\"", "\"provider\":\"eu\"");
        JacksonException e = assertThrows(JacksonException.class, () -> StateCodec.read(wrong));
        assertTrue(e.getOriginalMessage().contains("the resource shop[a.example.com] records the provider 'eu'"),
                e.getOriginalMessage());
    }
}
