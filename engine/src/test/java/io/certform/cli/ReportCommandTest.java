package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.RolloutProgress;
import io.certform.state.State;
import io.certform.state.local.LocalStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certform report} without a browser: what the page holds (bindings and their sync, the state, the rollouts
 * of a log and of the state), that its Content-Security-Policy allows exactly its own style and script, that no key
 * reaches it and no value can break out of its markup, and its errors.
 */
class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void beforeAndAfterApply_bindingsAreNotApplied_thenInSyncOrDrifted_andTheStateIsNamed() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = Map.of("STATUS_KEY", fixture.statusKey());
        String manifest = fixture.manifest().toString();
        Path page = dir.resolve("out/report.html");
        Files.createDirectories(page.getParent());

        CliRun before = CliRun.run(env, "", "report", "-f", manifest, "-o", page.toString());
        assertEquals(0, before.exitCode(), before.toString());
        assertTrue(before.out().contains("3 bindings, 0 rollouts, no state yet."), before.out());
        String html = Files.readString(page);
        assertEquals(List.of("not applied"), syncs(html));
        assertTrue(html.contains("No state yet: nothing has been applied."), html);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(page)));

        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true); // status now names another certificate
        CliRun after = CliRun.run(env, "", "report", "-f", manifest, "-o", page.toString());
        assertEquals(0, after.exitCode(), after.toString());
        html = Files.readString(page);
        State state = new LocalStateStore(dir.resolve("certform.state.json"), "test").read();
        assertTrue(html.contains("serial <b id=\"serial\">" + state.serial() + "</b>"), html);
        assertTrue(html.contains("lineage <code id=\"lineage\">" + state.lineage() + "</code>"), html);
        assertTrue(html.contains("by certform " + Version.VALUE), html);
        assertEquals(List.of("in sync", "drifted"), syncs(html), "shop's two bindings in sync, status's drifted");
        assertEquals(2, Pattern.compile("\\[\\d+,\\d+,\\d+,\"[^\"]+\",\\d+,\\d+,0,").matcher(html).results().count());
        assertEquals(2, count(html, "<g class=\"mark "), "one timeline mark per certificate");
        assertTrue(html.contains("</td><td class=\"num\">30</td><td class=\"ok\">ok</td>"), "warning days");

        fixture.writeManifest("embedded", "certs/status-renewed.crt", false); // www no longer declared
        assertEquals(0, CliRun.run(env, "", "report", "-f", manifest, "-o", page.toString()).exitCode());
        assertEquals(List.of("in sync", "not in manifest", "drifted"), syncs(Files.readString(page)),
                "api in sync; www recorded, no longer declared; status drifted");
        for (String line : fixture.keyMaterial()) {
            assertFalse(html.contains(line), "no private key material in the page");
        }
        assertFalse(html.contains("PRIVATE KEY"), "no PEM key");
    }

    @Test
    void contentSecurityPolicy_forbidsEveryLoad_andAllowsExactlyTheInlineStyleAndScript() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        CliRun run = CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", "report", "-f",
                fixture.manifest().toString(), "-o", "-");
        assertEquals(0, run.exitCode(), run.toString());
        String html = run.out();
        Matcher csp = Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\"").matcher(html);
        assertTrue(csp.find(), html);
        String policy = csp.group(1);
        assertTrue(policy.startsWith("default-src 'none'; "), policy);
        Matcher style = Pattern.compile("(?s)<style>(.*?)</style>").matcher(html);
        assertTrue(style.find());
        assertTrue(policy.contains("style-src '" + sha256(style.group(1)) + "'"), policy);
        Matcher script = Pattern.compile("(?s)<script>(.*?)</script>").matcher(html);
        assertTrue(script.find());
        assertTrue(policy.contains("script-src '" + sha256(script.group(1)) + "'"), policy);
        assertFalse(script.find(), "one script");
        assertFalse(Pattern.compile("(?i)(src|href)=\"(https?:)?//").matcher(html).find(), "nothing remote");
    }

    @Test
    void rollouts_fromTheApplyLog_andFromTheState_withFailureMessagesEscaped() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = Map.of("STATUS_KEY", fixture.statusKey());
        String manifest = fixture.manifest().toString();
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        Path log = dir.resolve("apply.jsonl");
        Files.writeString(log, """
                {"type":"planned","address":"x"}
                not json at all
                {"ok":true,"stopped":false,"rolled_back":false,"waves":[{"wave":1,"domains":1,"bound":1,"verified":1,"failed":0,"rolled_back":0}],"failed_checks":[],"type":"rollout_summary"}
                {"ok":false,"stopped":true,"stop_reason":"wave 2: 1 failure, more than max_failures 0","rolled_back":true,"waves":[{"wave":1,"domains":1,"bound":1,"verified":1,"failed":0,"rolled_back":1},{"wave":2,"domains":2,"bound":2,"verified":1,"failed":1,"rolled_back":2}],"failed_checks":[{"domain":"www.shop.example.com","outcome":"stale","served_serial":"1f","detail":"</script><script>alert(1)</script> still served"}],"type":"rollout_summary"}
                """);
        LocalStateStore store = new LocalStateStore(dir.resolve("certform.state.json"), "test");
        State state = store.read();
        store.write(state.withRollout(new RolloutProgress(1, false, List.of(new RolloutProgress.Entry(
                "shop[api.shop.example.com]", 1, "update", null)))).next(state.resources(), "test"));

        CliRun run = CliRun.run(env, "", "report", "-f", manifest, "--apply-log", log.toString(), "-o", "-");
        assertEquals(0, run.exitCode(), run.toString());
        String html = run.out();
        String rollouts = html.substring(html.indexOf("<section id=\"rollouts\">"), html.indexOf("inventory-section"));
        List<String> outcomes = Pattern.compile("<h3>\\w+: <span class=\"ok-\\w+\">([a-z ]+)</span>")
                .matcher(rollouts).results().map(m -> m.group(1)).toList();
        assertEquals(List.of("in progress", "rolled back", "completed"), outcomes, "the state's first, then newest");
        assertTrue(rollouts.contains("wave 1&#39;s TLS check was cut short"), rollouts);
        assertTrue(rollouts.contains("wave 2: 1 failure, more than max_failures 0"), rollouts);
        assertTrue(rollouts.contains("<code>www.shop.example.com</code>: stale \u2014 &lt;/script&gt;&lt;script&gt;"
                + "alert(1)&lt;/script&gt; still served"), rollouts);
        assertEquals(1, count(html, "<script>"), "no value adds a script: " + html);
    }

    @Test
    void refresh_readsTheRemoteSideFirst_underTheStateLock_andSaysSo() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = Map.of("STATUS_KEY", fixture.statusKey());
        String manifest = fixture.manifest().toString();
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        CliRun run = CliRun.run(env, "", "report", "--refresh", "--log-http", "-f", manifest, "-o", "-");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("GET "), "the remote side was read: " + run.err());
        assertTrue(run.out().contains("remote side read first (--refresh)"), run.out());
        assertEquals(List.of("in sync"), syncs(run.out()));
        CliRun offline = CliRun.run(env, "", "report", "--log-http", "-f", manifest, "-o", "-");
        assertFalse(offline.err().contains("GET "), "no API call without --refresh: " + offline.err());
        assertTrue(offline.out().contains("from the state as last recorded (no API call)"), offline.out());
    }

    @Test
    void aMissingApplyLog_isAnError_andNothingIsWritten() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        CliRun run = CliRun.run(Map.of("STATUS_KEY", fixture.statusKey()), "", "report", "-f",
                fixture.manifest().toString(), "--apply-log", dir.resolve("nope.jsonl").toString(), "-o",
                dir.resolve("report.html").toString());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("nope.jsonl: no such file; give the file 'certform apply --json' wrote its"
                + " output to."), run.err());
        assertFalse(Files.exists(dir.resolve("report.html")));
    }

    /** The distinct sync labels of the page's inventory, in the order they first appear. */
    private static List<String> syncs(String html) {
        Matcher m = Pattern.compile("\"syncs\":\\[([^\\]]*)]").matcher(html);
        assertTrue(m.find(), html);
        return Pattern.compile("\"([^\"]*)\"").matcher(m.group(1)).results().map(r -> r.group(1)).toList();
    }

    private static long count(String text, String part) {
        return Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }

    private static String sha256(String text) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
