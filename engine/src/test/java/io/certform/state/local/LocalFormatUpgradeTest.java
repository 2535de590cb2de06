package io.certform.state.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.Gateway;
import io.certform.state.ResourceState;
import io.certform.state.StateVersion;
import io.certform.state.State;
import io.certform.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file of format 1 (deposed objects marked in their address) is read, upgraded on its next write, kept. */
class LocalFormatUpgradeTest {

    @TempDir
    Path dir;

    private static final String FORMAT_ONE = """
            {"format_version": 1, "certform_version": "0.1.0", "lineage": "L", "serial": 7, "resources": [
              {"address": "shop[a.example.com]", "certificate": "shop", "domain_id": "d1", "ssl_id": "new"},
              {"address": "shop[a.example.com]#deposed-old", "certificate": "shop", "domain_id": "d1",
               "ssl_id": "old"}]}
            """;

    @Test
    void aFormatOneFile_isReadWithItsDeposedObject_upgradedOnTheNextWrite_andKeptInTheHistory() throws Exception {
        Path file = dir.resolve("certform.state.json");
        Files.writeString(file, FORMAT_ONE);
        LocalStateStore store = new LocalStateStore(file, "1.0");
        State old = store.read();
        assertEquals(List.of("shop[a.example.com]", "shop[a.example.com] (deposed old)"),
                old.resources().stream().map(ResourceState::key).toList());

        store.write(old.next(old.resources(), "1.0"));

        String text = Files.readString(file);
        assertTrue(text.contains("\"format_version\" : " + State.FORMAT_VERSION), text);
        assertTrue(text.contains("\"deposed\" : \"old\""), text);
        assertFalse(text.contains("#deposed"), text);
        assertEquals(old.resources(), store.read().resources());
        assertEquals(FORMAT_ONE, Files.readString(dir.resolve("certform.state.json.history/7.json")),
                "the format-1 file is kept as it was");
        assertEquals(old, store.version(7).orElseThrow());
    }

    @Test
    void aFileOfANewerFormat_isRefused_namingIt() throws Exception {
        Path file = dir.resolve("certform.state.json");
        Files.writeString(file, FORMAT_ONE.replace("\"format_version\": 1", "\"format_version\": 4"));
        StateException e = assertThrows(StateException.class, () -> new LocalStateStore(file, "1.0").read());
        assertTrue(e.getMessage().contains("newer certform (format_version 4)"), e.getMessage());
    }

    /** A state as certform of format 2 wrote it: one gateway, no provider on its resources. */
    static final String FORMAT_TWO = """
            {
              "format_version" : 2,
              "certform_version" : "0.1.0",
              "lineage" : "L",
              "serial" : 4,
              "gateway" : {
                "service" : "roma",
                "endpoint" : "embedded",
                "project_id" : "p1"
              },
              "resources" : [ {
                "address" : "shop[a.example.com]",
                "deposed" : "old",
                "certificate" : "shop",
                "domain_id" : "d1",
                "ssl_id" : "old"
              }, {
                "address" : "shop[b.example.com]",
                "certificate" : "shop",
                "domain_id" : "d2",
                "ssl_id" : "s2"
              } ]
            }""";

    @Test
    void aFormatTwoFile_isReadAsTheDefaultProvidersWithItsGateway_upgradedOnTheNextWrite_andKeptInTheHistoryByteForByte()
            throws Exception {
        Path file = dir.resolve("certform.state.json");
        Files.writeString(file, FORMAT_TWO);
        LocalStateStore store = new LocalStateStore(file, "1.0");
        State old = store.read();
        assertEquals(java.util.Map.of("default", new Gateway("roma", "embedded", "p1")), old.gateways());
        assertEquals(List.of("default", "default"), old.resources().stream().map(ResourceState::provider).toList());
        assertEquals(2, old.formatVersion());

        store.write(old.next(old.resources(), "1.0"));

        String text = Files.readString(file);
        assertTrue(text.contains("\"format_version\" : 3"), text);
        assertTrue(text.contains("\"gateways\" : {\n    \"default\" : {"), text);
        assertFalse(text.contains("\"gateway\" :"), text);
        assertEquals(2, text.split("\"provider\" : \"default\"", -1).length - 1, text);
        assertEquals(FORMAT_TWO, Files.readString(dir.resolve("certform.state.json.history/4.json")),
                "the format-2 file is kept as it was written");
        assertEquals(old, store.version(4).orElseThrow(), "and still reads");
        State upgraded = store.read();
        assertEquals(old.gateways(), upgraded.gateways());
        assertEquals(old.resources(), upgraded.resources());
        assertEquals(List.of(5L, 4L), store.history().stream().map(StateVersion::serial).toList());
    }
}
