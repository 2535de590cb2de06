package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.provider.ProviderSession;
import io.certform.simulator.WorldFile;
import io.certform.state.local.LocalStateStore;
import io.certform.state.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Saved plans as a pipeline uses them: made in one checkout, read with {@code show}, applied from another checkout
 * of the same commit; options the plan fixes are refused.
 */
class SavedPlanCliTest {

    @TempDir
    Path dir;

    private Path checkout;
    private QuickstartFixture fixture;
    private final Map<String, String> env = new HashMap<>();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() throws IOException {
        checkout = dir.resolve("review-job/repo");
        fixture = new QuickstartFixture(checkout);
        env.put("STATUS_KEY", fixture.statusKey());
    }

    private CliRun certform(Path manifest, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", manifest.toString()));
        return CliRun.run(env, "", all.toArray(String[]::new));
    }

    /** A fresh checkout of the same commit elsewhere, with the shared state (and the simulator's world). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Applied once, then the status certificate renewed and a plan saved for it in the review checkout. */
    private Path renewalPlan() throws Exception {
        assertEquals(0, certform(fixture.manifest(), "apply", "--auto-approve").exitCode());
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        Path plan = checkout.resolve("certs.plan");
        CliRun made = certform(fixture.manifest(), "plan", "-out", plan.toString());
        assertEquals(0, made.exitCode(), made.toString());
        return plan;
    }

    @Test
    void savedPlan_appliesFromAFreshCheckoutInAnotherFolder_andHoldsNoAbsolutePath() throws Exception {
        Path plan = renewalPlan();
        String text = Files.readString(plan);
        assertFalse(text.contains(dir.toString()), "no absolute path in the plan file:\n" + text);

        Path applyCheckout = dir.resolve("apply-job/work/repo");
        copyTree(checkout, applyCheckout);
        delete(dir.resolve("review-job"));
        Path artifact = dir.resolve("apply-job/artifacts/certs.plan");
        Files.createDirectories(artifact.getParent());
        Files.move(applyCheckout.resolve("certs.plan"), artifact);

        CliRun apply = certform(applyCheckout.resolve("certform.yaml"), "apply", artifact.toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Resources: 0 added, 1 changed, 0 destroyed."), apply.out());
        State state = new LocalStateStore(applyCheckout.resolve("certform.state.json"), "t").read();
        assertEquals(fixture.statusRenewed.serialHex(),
                state.resource("status[status.example.com]").orElseThrow().serialNumber());
    }

    @Test
    void planAndShow_compact_printOneLinePerChange() throws Exception {
        Path plan = renewalPlan();
        String line = "  ~ status[status.example.com] will be updated in place (because the certificate changed)";
        CliRun planned = certform(fixture.manifest(), "plan", "--compact");
        assertEquals(0, planned.exitCode(), planned.toString());
        assertTrue(planned.out().contains(line + "\n\nPlan: 0 to add, 1 to change"), planned.out());
        assertFalse(planned.out().contains("cert_sha256"), planned.out());
        CliRun shown = CliRun.run(env, "", "show", "--compact", plan.toString());
        assertEquals(0, shown.exitCode(), shown.toString());
        assertTrue(shown.out().contains(line + "\n"), shown.out());
        assertFalse(shown.out().contains("cert_sha256"), shown.out());
    }

    @Test
    void savedPlan_withoutF_findsTheManifestBesideThePlan() throws Exception {
        Path plan = renewalPlan();
        Path elsewhere = dir.resolve("elsewhere");
        copyTree(checkout, elsewhere);
        delete(checkout);
        // No -f, and no certform.yaml in the current folder: the plan's own folder holds the manifest it names.
        CliRun apply = CliRun.run(env, "", "apply", elsewhere.resolve(plan.getFileName()).toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Resources: 0 added, 1 changed, 0 destroyed."), apply.out());
    }

    @Test
    void savedPlan_checkedAgainstAnotherManifest_isStale_andNothingIsSent() throws Exception {
        Path plan = renewalPlan();
        Path other = dir.resolve("other");
        copyTree(checkout, other);
        Files.writeString(other.resolve("certform.yaml"), Files.readString(other.resolve("certform.yaml"))
                .replace("status_page_2026", "status_page_2027"));
        long created = WorldFile.read(world(other)).certificatesCreated();
        CliRun apply = certform(other.resolve("certform.yaml"), "apply", plan.toString());
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("Saved plan is stale: the manifest"), apply.err());
        assertEquals(created, WorldFile.read(world(other)).certificatesCreated(), "nothing sent");
    }

    private static Path world(Path folder) {
        return ProviderSession.worldFile(folder.resolve("certform.state.json"));
    }

    @Test
    void savedPlan_refusesEveryOptionThePlanFixes_andSendsNothing() throws Exception {
        Path plan = renewalPlan();
        long created = WorldFile.read(world(checkout)).certificatesCreated();
        for (String option : List.of("--target=shop", "-target=shop", "--exclude=shop", "-exclude=shop",
                "--refresh=false", "-refresh=false", "--refresh=true")) {
            CliRun apply = certform(fixture.manifest(), "apply", plan.toString(), option);
            assertEquals(1, apply.exitCode(), apply.toString());
            String name = option.substring(0, option.indexOf('=')).replaceFirst("^-(?!-)", "--");
            assertTrue(apply.err().contains(name + " cannot be used with a saved plan"), apply.err());
            assertEquals(created, WorldFile.read(world(checkout)).certificatesCreated(), "nothing sent");
        }
        assertEquals(0, certform(fixture.manifest(), "apply", plan.toString()).exitCode(), "the plan itself applies");
    }

    @Test
    void destroy_refusesASavedPlan() throws Exception {
        Path plan = renewalPlan();
        CliRun destroy = certform(fixture.manifest(), "destroy", plan.toString());
        assertEquals(1, destroy.exitCode());
        assertTrue(destroy.err().contains("destroy does not take a saved plan"), destroy.err());
        assertTrue(destroy.err().contains("plan --destroy -out FILE"), destroy.err());
    }

    @Test
    void show_readsThePlanFileAlone_asPlanShowedIt_andJsonEqualsPlanJson() throws Exception {
        Path plan = renewalPlan();
        JsonNode planJson = json.readTree(certform(fixture.manifest(), "plan", "--json").out());

        // A reviewer has the plan, not the keys nor the manifest.
        Path artifact = dir.resolve("artifact.plan");
        Files.copy(plan, artifact);
        delete(checkout);
        CliRun human = CliRun.run(Map.of(), "", "show", artifact.toString());
        assertEquals(0, human.exitCode(), human.toString());
        assertTrue(human.out().contains("# status[status.example.com] will be updated in place"), human.out());
        assertTrue(human.out().contains("~ serial_number  = \"" + fixture.status.serialHex() + "\" -> \""
                + fixture.statusRenewed.serialHex() + "\""), human.out());
        assertTrue(human.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), human.out());
        assertTrue(human.out().contains("certform apply " + artifact), human.out());

        CliRun shown = CliRun.run(Map.of(), "", "show", "-json", artifact.toString());
        assertEquals(0, shown.exitCode(), shown.toString());
        assertEquals(planJson, json.readTree(shown.out()));
    }

    @Test
    void show_ofAFileThatIsNoPlan_saysSo() throws Exception {
        Files.writeString(dir.resolve("x.plan"), "{\"hello\": 1}");
        CliRun shown = CliRun.run(Map.of(), "", "show", dir.resolve("x.plan").toString());
        assertEquals(1, shown.exitCode());
        assertTrue(shown.err().contains("is not a certform plan file"), shown.err());
    }

    /**
     * The CI recipe of docs/workflow.md: plan in the pull request's checkout; in the merge job's own checkout, with
     * the artifact downloaded, {@code certform show certs.plan}, then {@code certform apply certs.plan} in a real
     * process started in that checkout, with no -f: certform.yaml is read from the current folder.
     */
    @Test
    void ciRecipe_showAndApplyTheDownloadedPlan_inAnotherCheckout_fromItsFolder() throws Exception {
        Path plan = renewalPlan();
        Path mergeJob = dir.resolve("merge-job/checkout");
        copyTree(checkout, mergeJob);
        Files.delete(mergeJob.resolve("certs.plan"));
        Path download = Files.createDirectories(dir.resolve("merge-job/download"));
        Path artifact = Files.copy(plan, download.resolve("certs.plan"));
        delete(dir.resolve("review-job"));

        CliRun show = CliRun.run(Map.of(), "", "show", artifact.toString());
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), show.out());

        Process apply = certformProcess(mergeJob, "apply", artifact.toString(), "-json");
        String events = new String(apply.getInputStream().readAllBytes());
        assertTrue(apply.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, apply.exitValue(), events);
        for (String line : events.split("\n")) {
            assertTrue(json.readTree(line).has("type"), "only JSON on standard output: " + line);
        }
        assertTrue(events.contains("\"type\":\"summary\""), events);
        State state = new LocalStateStore(mergeJob.resolve("certform.state.json"), "t").read();
        assertEquals(fixture.statusRenewed.serialHex(),
                state.resource("status[status.example.com]").orElseThrow().serialNumber());
    }

    private Process certformProcess(Path folder, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("STATUS_KEY", env.get("STATUS_KEY"));
        builder.environment().put("HOME", dir.resolve("home").toString());
        return builder.start();
    }
}
