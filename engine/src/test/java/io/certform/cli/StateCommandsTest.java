package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.JournalRecord;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code state history}, {@code state show --serial}, and {@code state rm} over an interrupted run. */
class StateCommandsTest {

    @TempDir
    Path dir;

    private static ResourceState binding(int i) {
        return new ResourceState("c[d" + i + ".example.com]", "c", "inst", "grp", "dom" + i, "d" + i + ".example.com",
                "ssl" + i, "cert_name", "global", null, "ECC", "sha" + i, "chain" + i, null, "5a" + i,
                "2031-08-16T06:36:13Z", "Test CA");
    }

    private CliRun certform(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state";
        all[args.length + 1] = dir.resolve("s.json").toString();
        return CliRun.run(Map.of(), "", all);
    }

    private LocalStateStore store() {
        return new LocalStateStore(dir.resolve("s.json"), "0.9");
    }

    @Test
    void history_listsTheStatesNewestFirst_andShowSerialReadsAPreviousOne() throws Exception {
        LocalStateStore store = store();
        State one = store.read().next(List.of(binding(1)), "0.9");
        store.write(one);
        store.write(one.next(List.of(binding(1), binding(2)), "0.9"));
        CliRun history = certform("state", "history");
        assertEquals(0, history.exitCode(), history.toString());
        List<String> lines = history.out().lines().toList();
        assertTrue(lines.get(0).matches("SERIAL\\s+WRITTEN AT\\s+RESOURCES\\s+CERTFORM"), lines.get(0));
        assertTrue(lines.get(1).matches("2\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+2\\s+0\\.9"), lines.get(1));
        assertTrue(lines.get(2).matches("1\\s+\\S+\\s+1\\s+0\\.9"), lines.get(2));

        CliRun old = certform("state", "show", "--serial", "1");
        assertEquals(0, old.exitCode(), old.toString());
        assertTrue(old.out().contains("# state serial 1 ") && old.out().contains("1 binding(s)"), old.out());
        assertTrue(old.out().contains("binding \"c[d1.example.com]\""), old.out());
        assertTrue(!old.out().contains("c[d2.example.com]"), old.out());
        CliRun one1 = certform("state", "show", "--serial", "1", "c[d1.example.com]");
        assertTrue(one1.out().contains("ssl_id                  = \"ssl1\""), one1.out());
        CliRun missing = certform("state", "show", "--serial", "7");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no state with serial 7 is kept"), missing.err());
    }

    @Test
    void rm_isRefusedWhileAnInterruptedRunIsUnsettled() throws Exception {
        LocalStateStore store = store();
        State base = store.read().next(List.of(binding(1), binding(2)), "0.9");
        store.write(base);
        try (RunRecorder run = store.record(base)) {
            run.intend(JournalRecord.Intent.unbind(binding(1), Instant.parse("2026-01-01T00:00:00Z")));
            run.intend(JournalRecord.Intent.unbind(binding(2), Instant.parse("2026-01-01T00:00:00Z")));
            run.done(JournalRecord.Done.unbound(binding(2).address()));
        } // the run died: one call open, one result not folded
        CliRun rm = certform("state", "rm", "c[d1.example.com]");
        assertEquals(1, rm.exitCode());
        assertTrue(rm.err().contains("an interrupted run left 2 unfinished call(s); run 'certform apply' (or 'certform"
                + " refresh') first so they are settled. Nothing was changed."), rm.err());
        assertEquals(base, store.read(), "nothing written");
    }

    @Test
    void mv_ofADeposedObject_saysWhatItIs_andMovesNothing() throws Exception {
        LocalStateStore store = store();
        ResourceState deposed = binding(0).at("c[d1.example.com]", "c").deposedRecord();
        State base = store.read().next(List.of(binding(1), deposed), "0.9");
        store.write(base);
        CliRun list = certform("state", "list");
        assertTrue(list.out().contains("c[d1.example.com] (deposed ssl0)"), list.out());
        CliRun mv = certform("state", "mv", "c[d1.example.com] (deposed ssl0)", "x[d1.example.com]");
        assertEquals(1, mv.exitCode());
        assertTrue(mv.err().contains("c[d1.example.com] (deposed ssl0) is the old half of a replacement, kept until"
                + " the next apply removes it: it is not moved"), mv.err());
        assertEquals(base, store.read(), "nothing written");
    }

    @Test
    void anotherProvidersAddresses_areListedShownMovedAndRemoved_andShowJsonCarriesEachBindingsProvider()
            throws Exception {
        LocalStateStore store = store();
        ResourceState eu = binding(1).at("provider.eu.c[d1.example.com]", "c");
        State base = store.read().next(List.of(binding(1), eu), "0.9");
        store.write(base);
        CliRun list = certform("state", "list");
        assertEquals(List.of("c[d1.example.com]", "provider.eu.c[d1.example.com]"), list.out().lines().toList());
        CliRun show = certform("state", "show", "provider.eu.c[d1.example.com]");
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("binding \"provider.eu.c[d1.example.com]\" {\n    provider                "
                + "= \"eu\"\n    certificate             = \"c\""), show.out());
        CliRun home = certform("state", "show", "c[d1.example.com]");
        assertTrue(!home.out().contains("provider"), "the default provider's binding shows as before: " + home.out());

        CliRun mv = certform("state", "mv", "provider.eu.c[d1.example.com]", "provider.ap-2.x[d1.example.com]");
        assertEquals(0, mv.exitCode(), mv.toString());
        ResourceState moved = store.read().resource("provider.ap-2.x[d1.example.com]").orElseThrow();
        assertEquals("x", moved.certificate(), "the key, without the provider's prefix");
        assertEquals("ap-2", moved.provider());
        CliRun json = CliRun.run(Map.of(), "", "show", "--json", "--state", dir.resolve("s.json").toString());
        assertEquals(0, json.exitCode(), json.toString());
        assertTrue(json.out().contains("{\"address\":\"provider.ap-2.x[d1.example.com]\",\"provider\":\"ap-2\","),
                json.out());
        assertTrue(json.out().contains("{\"address\":\"c[d1.example.com]\",\"provider\":\"default\","), json.out());
        CliRun prefixed = certform("state", "mv", "c[d1.example.com]", "provider.default.c[d2.example.com]");
        assertEquals(1, prefixed.exitCode());
        assertTrue(prefixed.err().contains("the default provider's addresses have no prefix; write c[d2.example.com]"),
                prefixed.err());

        CliRun rm = certform("state", "rm", "provider.ap-2.x[d1.example.com]");
        assertEquals(0, rm.exitCode(), rm.toString());
        assertEquals(List.of("c[d1.example.com]"), store.read().resources().stream().map(ResourceState::key).toList());
    }
}
