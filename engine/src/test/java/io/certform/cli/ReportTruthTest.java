package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code certform report} says of a binding agrees with what {@code plan} will do with it. */
class ReportTruthTest {

    private static final TestCertificates.Issued WILD = TestCertificates.authority("Pattern CA")
            .issue("*.shop.example.com", "*.eu.shop.example.com");

    @TempDir
    Path dir;

    @Test
    void aRecordedDomainItsMatchEntryNoLongerSelects_isNotInManifest_asThePlanRemovesIt() throws Exception {
        try (Simulator simulator = GatewayWorld.of(0).domain("grpA", "a1", "api.shop.example.com")
                .domain("grpA", "a2", "www.shop.example.com").domain("grpB", "b1", "pay.shop.example.com")
                .options(ShopWorld.options(3)).startSimulator()) {
            Path manifest = ShopWorld.manifest(simulator).domains("{ group_id: grpA, match: \"*.shop.example.com\" }")
                    .write(dir, WILD);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            CliRun selected = CliRun.run("report", "-f", manifest.toString(), "-o", "-");
            assertEquals(0, selected.exitCode(), selected.toString());
            assertEquals(List.of("in sync", "in sync"), syncOf(selected.out()), "what the pattern selected, applied");

            manifest = ShopWorld.manifest(simulator).domains("{ group_id: grpB, match: \"*.shop.example.com\" }")
                    .write(dir, WILD); // grpA's domains are no longer selected: the next apply removes them
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("1 to add, 0 to change, 2 to destroy"), plan.out());
            CliRun report = CliRun.run("report", "-f", manifest.toString(), "-o", "-");
            assertEquals(0, report.exitCode(), report.toString());
            assertEquals(List.of("not in manifest", "not in manifest"), syncOf(report.out()),
                    "the plan destroys both recorded bindings: the report says so");
        }
    }

    @Test
    void withoutRefresh_noApiCallIsMade_evenWhileTheLockIsHeld_andRefreshTakesTheLockThenReads() throws Exception {
        try (Simulator simulator = GatewayWorld.of(0).domain("grpA", "a1", "api.shop.example.com")
                .domain("grpA", "a2", "www.shop.example.com").options(ShopWorld.options(3)).startSimulator()) {
            Path manifest = ShopWorld.manifest(simulator).domains("{ group_id: grpA, domain: api.shop.example.com }",
                    "{ group_id: grpA, domain: www.shop.example.com }").write(dir, WILD);
            String f = manifest.toString();
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", f).exitCode());
            long[] before = calls(simulator);
            try (var held = new io.certform.state.local.LocalStateStore(dir.resolve("certform.state.json"), "test")
                    .lock("apply", java.time.Duration.ZERO)) {
                CliRun offline = CliRun.run("report", "-f", f, "-o", "-");
                assertEquals(0, offline.exitCode(), "a report reads the state; it needs no lock: " + offline);
                assertEquals(List.of("in sync", "in sync"), syncOf(offline.out()));
                assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(calls(simulator)),
                        "no API call without --refresh");

                CliRun locked = CliRun.run("report", "--refresh", "-f", f, "-o", dir.resolve("r.html").toString());
                assertEquals(1, locked.exitCode(), locked.toString());
                assertTrue(locked.err().contains("Error acquiring the state lock"), locked.err());
                assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(calls(simulator)),
                        "--refresh reads nothing before it holds the lock");
                assertTrue(!java.nio.file.Files.exists(dir.resolve("r.html")), "no page");
            }
            simulator.world().addDomain("inst1", "grpA", "a3", "new.shop.example.com"); // nothing the report lists
            CliRun refreshed = CliRun.run("report", "--refresh", "-f", f, "-o", "-");
            assertEquals(0, refreshed.exitCode(), refreshed.toString());
            assertTrue(calls(simulator)[0] > before[0], "--refresh read the remote side");
            assertEquals(before[1], calls(simulator)[1], "and wrote nothing there");
        }
    }

    /** The simulator's reads (GET, and token calls), and its writes (POST, PUT, DELETE). */
    private static long[] calls(Simulator simulator) {
        return new long[] {simulator.requests("GET") + simulator.requests("IAM"),
            simulator.requests("POST") + simulator.requests("PUT") + simulator.requests("DELETE")};
    }

    @Test
    void sharedModel_afterApply_everyBindingIsInSync_asThePlanHasNoChange_andRenewedItIsDrifted() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Shared CA");
        TestCertificates.Issued first = ca.issue("*.shop.example.com");
        TestCertificates.Issued renewed = ca.issue("*.shop.example.com");
        try (Simulator simulator = GatewayWorld.of(0).domain("grpA", "a1", "api.shop.example.com")
                .domain("grpA", "a2", "www.shop.example.com").options(ShopWorld.options(3)).startSimulator()) {
            String[] domains = {"{ group_id: grpA, domain: api.shop.example.com }",
                "{ group_id: grpA, domain: www.shop.example.com }"};
            String f = ShopWorld.manifest(simulator).mode("shared").type("global").domains(domains).write(dir, first)
                    .toString();
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", f).exitCode());
            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", f);
            assertEquals(0, plan.exitCode(), "no change: " + plan);
            CliRun report = CliRun.run("report", "-f", f, "-o", "-");
            assertEquals(0, report.exitCode(), report.toString());
            assertEquals(List.of("in sync", "in sync"), syncOf(report.out()));
            assertTrue(report.out().contains("\"shared\""), "the model column says shared");
            CliRun metrics = CliRun.run("certs", "--format", "prometheus", "-f", f);
            assertEquals(2, metrics.out().lines().filter(l -> l.startsWith("certform_binding_in_sync{")
                    && l.endsWith(" 1")).count(), "certs agrees: " + metrics.out());

            ShopWorld.manifest(simulator).mode("shared").type("global").domains(domains).write(dir, renewed);
            assertEquals(2, CliRun.run("plan", "--detailed-exitcode", "-f", f).exitCode(), "a change");
            assertEquals(List.of("drifted", "drifted"), syncOf(CliRun.run("report", "-f", f, "-o", "-").out()));
        }
    }

    @Test
    void aCertificateRenamedInTheManifest_isTheSameBindingsMoved_notRemovedAndAddedAgain() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        java.util.Map<String, String> env = java.util.Map.of("STATUS_KEY", fixture.statusKey());
        String f = fixture.manifest().toString();
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", f).exitCode());
        java.nio.file.Files.writeString(fixture.manifest(),
                java.nio.file.Files.readString(fixture.manifest()).replace("  shop:\n", "  storefront:\n"));
        CliRun plan = CliRun.run(env, "", "plan", "-f", f);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("0 to add, 0 to change, 0 to destroy"), "moves only: " + plan.out());
        CliRun report = CliRun.run(env, "", "report", "-f", f, "-o", "-");
        assertEquals(0, report.exitCode(), report.toString());
        assertEquals(List.of("in sync", "in sync", "in sync"), syncOf(report.out()),
                "three bindings, each once, as the plan moves them and changes nothing on the gateway");
    }

    @Test
    void sm2SignAndEncryptionPairs_sharedModel_oneCertificateInSync_noKeyOfEitherPairInThePage() throws Exception {
        TestCertificates.Authority ca = TestCertificates.sm2Authority("SM2 Root");
        TestCertificates.Issued encrypt = ca.issueSm2("api.shop.example.com");
        TestCertificates.Issued sign = ca.issueSm2("api.shop.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(0).domain("g1", "d1", "api.shop.example.com").start()) {
            java.nio.file.Files.writeString(dir.resolve("sign.crt"), sign.chainPem());
            java.nio.file.Files.writeString(dir.resolve("sign.key"), sign.privateKeyPem());
            String f = gateway.manifest().key("gm").mode("shared").name("gm_dual_2026")
                    .certificate("algorithm_type: SM2").material("enc")
                    .afterMaterial("    cert_content_sign: ${file:sign.crt}\n    private_key_sign: ${file:sign.key}\n")
                    .byName().write(dir, encrypt).toString();
            assertEquals(0, CliRun.run(CliRun.TOKEN_ENV, "", "apply", "-f", f, "--auto-approve").exitCode());
            assertEquals(0, CliRun.run(CliRun.TOKEN_ENV, "", "plan", "-f", f, "--detailed-exitcode").exitCode());
            CliRun report = CliRun.run(CliRun.TOKEN_ENV, "", "report", "-f", f, "-o", "-");
            assertEquals(0, report.exitCode(), report.toString());
            String html = report.out();
            assertEquals(List.of("in sync"), syncOf(html), "the plan has no change");
            assertEquals(1, Pattern.compile("<g class=\"mark ").matcher(html).results().count(), "one mark");
            assertFalse(html.contains("PRIVATE KEY"), "no PEM key");
            for (String key : List.of(encrypt.privateKeyPem(), sign.privateKeyPem())) {
                key.lines().filter(l -> !l.startsWith("-----") && l.length() > 20)
                        .forEach(l -> assertFalse(html.contains(l), "no line of either key"));
            }
        }
    }

    @Test
    void aDeposedObjectInTheState_leavesItsLiveBindingInSync_andThePageSaysTheNextApplyDeletesIt() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        java.util.Map<String, String> env = java.util.Map.of("STATUS_KEY", fixture.statusKey());
        String f = fixture.manifest().toString();
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", f).exitCode());
        var store = new io.certform.state.local.LocalStateStore(dir.resolve("certform.state.json"), "test");
        io.certform.state.State state = store.read();
        var live = state.resource("shop[api.shop.example.com]").orElseThrow();
        List<io.certform.state.ResourceState> resources = new java.util.ArrayList<>(state.resources());
        resources.add(live.bound("0ld5510000000000000000000000000d", live.sslName(), live.urlDomain()).deposedRecord());
        store.write(state.next(resources, "test"));
        CliRun plan = CliRun.run(env, "", "plan", "-f", f);
        assertTrue(plan.out().contains("0 to add, 0 to change, 1 to destroy"), plan.toString());
        CliRun report = CliRun.run(env, "", "report", "-f", f, "-o", "-");
        assertEquals(0, report.exitCode(), report.toString());
        assertEquals(List.of("in sync", "in sync", "in sync"), syncOf(report.out()), "the live bindings");
        assertTrue(report.out().contains("1 deposed object"), "and what the plan destroys is said: " + report.out()
                .replaceAll("(?s).*(<header>.*</header>).*", "$1"));
    }

    /** The sync label of each inventory row, in row order. */
    static List<String> syncOf(String html) {
        Matcher tables = Pattern.compile("\"syncs\":\\[([^\\]]*)]").matcher(html);
        assertTrue(tables.find(), html);
        List<String> labels = Pattern.compile("\"([^\"]*)\"").matcher(tables.group(1)).results()
                .map(r -> r.group(1)).toList();
        Matcher rows = Pattern.compile("\"rows\":\\[(.*)]}").matcher(html);
        assertTrue(rows.find(), html);
        return Pattern.compile("\\[\\d+,\\d+,\\d+,\"(?:[^\"\\\\]|\\\\.)*\",\\d+,\\d+,(\\d+),").matcher(rows.group(1))
                .results().map(m -> labels.get(Integer.parseInt(m.group(1)))).toList();
    }
}
