package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a Terraform user types without thinking: {@code show} alone, {@code -chdir=DIR}, {@code apply -replace},
 * {@code -lock=false}, {@code apply --compact}; run in-process against the quickstart's embedded gateway.
 */
class TerraformHabitsEndToEndTest {

    private static final String SHOP = "shop[api.shop.example.com]";

    @TempDir
    Path dir;

    private QuickstartFixture fixture;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        fixture = new QuickstartFixture(dir);
        env.put("STATUS_KEY", fixture.statusKey());
    }

    private CliRun certform(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-f");
        all.add(fixture.manifest().toString());
        return CliRun.run(env, "", all.toArray(String[]::new));
    }

    private State state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "test").read();
    }

    private void applied() {
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
    }

    @Test
    void showWithoutPlanFile_showsEveryBindingOfTheCurrentState() throws Exception {
        CliRun empty = certform("show");
        assertEquals(0, empty.exitCode(), empty.toString());
        assertTrue(empty.out().contains("No state yet"), empty.out());

        applied();
        String sslId = state().resource(SHOP).orElseThrow().sslId();
        CliRun show = certform("show");
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("binding \"" + SHOP + "\" {"), show.out());
        assertTrue(show.out().contains("binding \"status[status.example.com]\" {"), show.out());
        assertTrue(show.out().contains("ssl_id                  = \"" + sslId + "\""), show.out());
        assertTrue(show.out().contains("3 bindings"), show.out());

        CliRun json = certform("show", "-json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode node = JsonMapper.builder().build().readTree(json.out());
        assertEquals(3, node.get("resources").size(), json.out());
        assertEquals(state().lineage(), node.get("lineage").asString());
        for (String key : fixture.keyMaterial()) {
            assertFalse(show.out().contains(key) || json.out().contains(key), "no private key is shown");
        }
    }

    @Test
    void chdir_fmtCheckWithoutAFile_readsTheManifestInThatFolder() throws Exception {
        CliRun fmt = CliRun.run(env, "", "-chdir=" + dir, "fmt", "--check");
        assertTrue(fmt.exitCode() == 0 || fmt.exitCode() == 3, "fmt --check in -chdir's folder: " + fmt);
        assertFalse(fmt.err().contains("no such file"), fmt.toString());
    }

    @Test
    void plan_lockFalse_isAccepted_asInTerraform_forPlanTakesNoLock() throws Exception {
        CliRun plan = CliRun.run(env, "", "-chdir=" + dir, "plan", "-lock=false");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("Plan: 3 to add, 0 to change, 0 to destroy."), plan.out());
        CliRun spaced = CliRun.run(env, "", "-chdir=" + dir, "plan", "--lock", "true");
        assertEquals(0, spaced.exitCode(), spaced.toString());
        CliRun wrong = CliRun.run(env, "", "-chdir=" + dir, "plan", "-lock=maybe");
        assertEquals(1, wrong.exitCode(), wrong.toString());
    }

    @Test
    void chdir_readsEveryRelativePathFromThatFolder() throws Exception {
        CliRun plan = CliRun.run(env, "", "-chdir=" + dir, "plan");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("Plan: 3 to add, 0 to change, 0 to destroy."), plan.out());

        CliRun saved = CliRun.run(env, "", "-chdir=" + dir, "plan", "-out", "ci.plan");
        assertEquals(0, saved.exitCode(), saved.toString());
        assertTrue(Files.isRegularFile(dir.resolve("ci.plan")), "-out is relative to -chdir");
        CliRun apply = CliRun.run(env, "", "-chdir", dir.toString(), "apply", "ci.plan");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(3, state().resources().size());

        CliRun missing = CliRun.run(env, "", "-chdir=" + dir.resolve("nowhere"), "plan");
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("-chdir=" + dir.resolve("nowhere") + ": no such folder"), missing.err());
        CliRun late = CliRun.run(env, "", "plan", "-chdir=" + dir);
        assertEquals(1, late.exitCode(), late.toString());
        assertTrue(late.err().contains("-chdir goes before the command"), late.err());
    }

    @Test
    void applyReplace_uploadsAndBindsOneUnchangedBindingAgain_shownAsAReplacement() throws Exception {
        applied();
        State before = state();
        CliRun plan = certform("plan", "-replace=" + SHOP);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("# " + SHOP + " must be replaced"), plan.out());
        assertTrue(plan.out().contains("replacement requested with -replace"), plan.out());
        assertTrue(plan.out().contains("Plan: 1 to add, 0 to change, 1 to destroy."), plan.out());

        CliRun apply = certform("apply", "--auto-approve", "-replace", SHOP);
        assertEquals(0, apply.exitCode(), apply.toString());
        State after = state();
        assertNotEquals(before.resource(SHOP).orElseThrow().sslId(), after.resource(SHOP).orElseThrow().sslId(),
                "uploaded and bound again");
        assertEquals(before.resource("status[status.example.com]").orElseThrow().sslId(),
                after.resource("status[status.example.com]").orElseThrow().sslId(), "the others are left alone");
        CliRun again = certform("plan", "--detailed-exitcode");
        assertEquals(0, again.exitCode(), again.toString());

        CliRun unknown = certform("apply", "--auto-approve", "-replace=shop[nowhere.example.com]");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().contains("-replace shop[nowhere.example.com]: no binding"), unknown.err());
        assertEquals(after.serial(), state().serial(), "nothing was written");
    }

    @Test
    void replaceOutsideTarget_saysTheBindingIsOutsideTarget_andNothingWasChangedOnlyOnce() throws Exception {
        applied();
        CliRun plan = certform("plan", "-target", "status", "-replace=" + SHOP);
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("-replace " + SHOP + ": the binding is outside -target"), plan.err());
        assertFalse(plan.err().contains("no binding or shared certificate of the plan has this address"), plan.err());
        assertEquals(1, plan.err().toLowerCase(java.util.Locale.ROOT).split("nothing was changed", -1).length - 1,
                plan.err());
    }

    @Test
    void lockFalse_isRefusedWithTheReason_beforeAnythingIsWritten() {
        CliRun apply = certform("apply", "--auto-approve", "-lock=false");
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("-lock=false is refused"), apply.err());
        assertTrue(apply.err().contains("-lock-timeout"), apply.err());
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "nothing was written");
        CliRun locked = certform("apply", "--auto-approve", "-lock=true");
        assertEquals(0, locked.exitCode(), locked.toString());
    }

    @Test
    void applyCompact_showsThePlanOneLinePerChange() {
        CliRun apply = certform("apply", "--auto-approve", "--compact");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("  + " + SHOP + " will be created\n"), apply.out());
        assertFalse(apply.out().contains("+ binding \"" + SHOP + "\" {"), apply.out());
        assertTrue(apply.out().contains("Apply complete! Resources: 3 added"), apply.out());
    }

    @Test
    void importKey_importsEveryDeclaredDomainThatCarriesTheCertificate_andNamesTheOthers() throws Exception {
        fixture.writeManifest("embedded", "certs/status.crt", false);
        applied();
        fixture.writeManifest("embedded", "certs/status.crt", true); // www is declared now, and still bare
        CliRun rm = certform("state", "rm", SHOP);
        assertEquals(0, rm.exitCode(), rm.toString());

        CliRun imported = certform("import", "shop");
        assertEquals(1, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("Imported " + SHOP + " [ssl_id="), imported.out());
        assertTrue(imported.err().contains("Not imported: shop[www.shop.example.com]: no certificate is bound"),
                imported.err());
        assertTrue(imported.err().contains("1 of the 2 declared domains of certificate 'shop' could not be imported"),
                imported.err());
        assertTrue(state().resource(SHOP).isPresent(), "the domain that carries it is recorded");
        assertTrue(state().resource("shop[www.shop.example.com]").isEmpty());

        applied();
        CliRun again = certform("import", "shop");
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("Already managed: " + SHOP), again.out());
    }
}
