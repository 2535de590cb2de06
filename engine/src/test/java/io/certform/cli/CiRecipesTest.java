package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testing.GatewayWorld;
import io.certform.testing.PostgresSchema;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI recipes of docs/ci.md, run as written: each job's shell lines (read from the doc) in a fresh checkout of the
 * team's repository, certform in-process, the state where the doc puts it (PostgreSQL), the simulator standing for
 * the gateway. Two pipeline runs, the second for a renewal of one certificate: its plan shows that one change only,
 * and a third checkout then plans "No changes"; each apply job leaves the report it publishes. The monitoring recipe,
 * the shell and where pipelines may be written out: {@link CiDocsTest}.
 */
class CiRecipesTest {

    static final Path CI = Path.of("..", "docs", "ci.md");
    private static final String TOKEN = "ci-token";

    @RegisterExtension
    final PostgresSchema pg = new PostgresSchema();

    @TempDir
    Path dir;

    private int checkouts;

    /** One pipeline run of a recipe on one commit: the pull request's jobs, then the merge's. */
    private interface Recipe {
        void pipeline(Path commit, RecipeShell.Run run) throws IOException;
    }

    @Test
    void githubActions_twoRunsInFreshCheckouts_shareTheState_andARenewalPlansOneChange() throws Exception {
        twoRuns(this::github);
    }

    @Test
    void gitlabCi_twoRunsInFreshCheckouts_shareTheState_andARenewalPlansOneChange() throws Exception {
        twoRuns(this::gitlab);
    }

    @Test
    void jenkins_twoRunsInFreshCheckouts_shareTheState_andARenewalPlansOneChange() throws Exception {
        twoRuns(this::jenkins);
    }

    // ---- the scenario every recipe runs

    private void twoRuns(Recipe recipe) throws Exception {
        pg.location(); // skipped (or failed, where required) without a server
        try (Simulator gateway = GatewayWorld.quickstart().options(SimulatorOptions.defaults()
                .withTokens(Set.of(TOKEN))).startSimulator()) {
            Repository repo = new Repository(gateway);
            currentSecrets = repo.secrets();

            RecipeShell.Run first = new RecipeShell.Run();
            recipe.pipeline(repo.first, first);
            assertReportPublished(first);
            assertEquals(1, first.comments.size(), first.log.toString());
            assertTrue(first.comments.get(0).contains("3 to add, 0 to change, 0 to destroy"), first.comments.get(0));
            assertEquals(3, gateway.world().certificatesCreated(), first.log.toString());

            RecipeShell.Run second = new RecipeShell.Run();
            recipe.pipeline(repo.second, second);
            assertReportPublished(second);
            assertEquals(1, second.comments.size(), second.log.toString());
            assertTrue(second.comments.get(0).contains("0 to add, 1 to change, 0 to destroy"),
                    "the renewal, and nothing else: " + second.comments.get(0) + "\n" + second.log);
            assertTrue(second.comments.get(0).contains("status[status.example.com]"), second.comments.get(0));
            assertEquals(4, gateway.world().certificatesCreated(), second.log.toString());

            CliRun after = CliRun.run(repo.secrets(), "", "plan", "--detailed-exitcode", "-f",
                    checkout(repo.second).resolve("certform.yaml").toString());
            assertEquals(0, after.exitCode(), after.toString());
            assertTrue(after.out().contains("No changes."), after.out());
        }
    }

    /**
     * The team's repository, as the recipes expect it: the manifest (its state block the one docs/ci.md shows, in
     * this test's schema and workspace), the certificates, no key; the second commit renews one certificate.
     */
    private final class Repository {
        final Path first = dir.resolve("commit-1");
        final Path second = dir.resolve("commit-2");
        final String key;

        Repository(Simulator gateway) throws IOException {
            TestCertificates.Authority ca = TestCertificates.authority("Team CA");
            TestCertificates.Issued shop = ca.issue("api.shop.example.com", "www.shop.example.com");
            Instant now = Instant.now();
            TestCertificates.Issued status = ca.issue(shop.keys(), now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(400)), "status.example.com");
            TestCertificates.Issued renewed = ca.issue(shop.keys(), now.minus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(800)), "status.example.com");
            key = shop.privateKeyPem();
            String state = block("The state: one that every job sees", "yaml")
                    .replaceFirst("(?m)^  workspace: \\S+", "  workspace: " + pg.workspace() + "\n  schema: "
                            + pg.schema());
            assertTrue(state.contains("backend: postgres"), state);
            String manifest = """
                    version: 1
                    provider:
                      endpoint: "%s"
                      project_id: proj1
                    %s
                    defaults:
                      instance_id: inst1
                    certificates:
                      shop:
                        name: shop_api_2026
                        cert_content: ${file:certs/shop.crt}
                        private_key: ${env:SHOP_KEY}
                        domains:
                          - { group_id: grp1, domain: api.shop.example.com }
                          - { group_id: grp1, domain: www.shop.example.com }
                      status:
                        name: status_page_2026
                        cert_content: ${file:certs/status.crt}
                        private_key: ${env:SHOP_KEY}
                        domains:
                          - { group_id: grp2, domain: status.example.com }
                    """.formatted(gateway.baseUrl(), state.strip());
            for (Path commit : List.of(first, second)) {
                Files.createDirectories(commit.resolve("certs"));
                Files.writeString(commit.resolve("certform.yaml"), manifest);
                Files.writeString(commit.resolve("certs/shop.crt"), shop.chainPem());
                Files.writeString(commit.resolve("certs/status.crt"),
                        (commit == first ? status : renewed).chainPem());
                CliRun fmt = CliRun.run(Map.of(), "", "fmt", commit.resolve("certform.yaml").toString());
                assertEquals(0, fmt.exitCode(), fmt.toString());
            }
        }

        /** The CI's secret store. */
        Map<String, String> secrets() {
            return Map.of("CERTFORM_AUTH_TOKEN", TOKEN, "SHOP_KEY", key, "CERTFORM_PG_URL", pg.url());
        }
    }

    /** A fresh checkout of a commit, on a runner of its own. */
    private Path checkout(Path commit) throws IOException {
        Path to = dir.resolve("runner-" + ++checkouts);
        try (Stream<Path> files = Files.walk(commit)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(commit.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    /**
     * The apply job wrote the report of the state it left: every binding in sync, as the apply's log and the state
     * (in PostgreSQL) say, from the newest runner's checkout (the apply job runs last).
     */
    private void assertReportPublished(RecipeShell.Run run) throws IOException {
        Path report = dir.resolve("runner-" + checkouts).resolve("report.html");
        assertTrue(Files.exists(report), "the apply job wrote report.html:\n" + run.log);
        String page = Files.readString(report);
        assertTrue(page.contains("Inventory (3 bindings)") && page.contains("default-src 'none'"), page);
        assertTrue(page.contains("\"syncs\":[\"in sync\"]"), "every binding in sync after the apply");
    }

    private static void jobPassed(String job, int status, RecipeShell.Run run) {
        assertEquals(0, status, job + " failed:\n" + run.log);
    }

    // ---- GitHub Actions: the workflow's jobs and steps, read from the doc's YAML

    /** The pull request of the GitHub run under way: each run is another one, merged at its push. */
    private int pullRequest = 6;

    /** Artifacts by name and pull request ("certs-plan#7"): every run's uploads stay, as GitHub keeps them. */
    private final Map<String, Path> artifacts = new HashMap<>();

    private void github(Path commit, RecipeShell.Run run) throws IOException {
        Map<String, Object> workflow = RecipeShell.yaml(block("GitHub Actions", "yaml"));
        Map<String, Object> jobs = RecipeShell.map(workflow.get("jobs"));
        pullRequest++;
        run.pullRequest = Integer.toString(pullRequest);
        for (String event : List.of("pull_request", "push")) {
            for (Map.Entry<String, Object> job : jobs.entrySet()) {
                Map<String, Object> spec = RecipeShell.map(job.getValue());
                if (("github.event_name == '" + event + "'").equals(spec.get("if"))) {
                    githubJob(job.getKey(), spec, RecipeShell.map(workflow.get("env")), commit, artifacts, run);
                }
            }
        }
    }

    private void githubJob(String name, Map<String, Object> job, Map<String, Object> workflowEnv, Path commit,
                           Map<String, Path> artifacts, RecipeShell.Run run) throws IOException {
        Path cwd = checkout(commit);
        Map<String, String> outputs = new HashMap<>();
        for (Object s : (List<?>) job.get("steps")) {
            Map<String, Object> step = RecipeShell.map(s);
            Map<String, String> env = new HashMap<>(Map.of("GITHUB_REPOSITORY", "acme/infra", "GITHUB_SHA",
                    commit.getFileName().toString()));
            for (Map<String, Object> e : List.of(workflowEnv, RecipeShell.map(step.getOrDefault("env", Map.of())))) {
                e.forEach((k, v) -> env.put(k, githubExpression(String.valueOf(v), outputs)));
            }
            Map<String, Object> with = new HashMap<>(RecipeShell.map(step.getOrDefault("with", Map.of())));
            with.replaceAll((k, v) -> githubExpression(String.valueOf(v), outputs));
            String uses = (String) step.get("uses");
            if (uses == null) {
                Path output = Files.createTempFile(dir, "github-output", "");
                env.put("GITHUB_OUTPUT", output.toString());
                jobPassed("GitHub job " + name, new RecipeShell(cwd, env, run).script((String) step.get("run")), run);
                for (String line : Files.readAllLines(output)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && step.get("id") != null) {
                        outputs.put("steps." + step.get("id") + ".outputs." + line.substring(0, eq),
                                line.substring(eq + 1));
                    }
                }
            } else if (uses.startsWith("actions/checkout@")) {
                assertTrue(Files.exists(cwd.resolve("certform.yaml")), "the checkout has the manifest");
            } else if (uses.startsWith("actions/upload-artifact@")) {
                Path store = Files.createDirectories(dir.resolve("artifacts").resolve(run.pullRequest)
                        .resolve((String) with.get("name")));
                Path file = cwd.resolve((String) with.get("path"));
                Files.copy(file, store.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                artifacts.put(with.get("name") + "#" + run.pullRequest, store);
            } else if (uses.startsWith("dawidd6/action-download-artifact@")) {
                // Without pr, commit or run_id the action takes the newest run's artifact, of whatever pull request.
                assertTrue(with.get("pr") != null && !with.get("pr").toString().isEmpty(),
                        "the plan to apply must be the merged pull request's own (pr:), not the newest: " + with);
                assertEquals(run.pullRequest, with.get("pr").toString(), "the pull request this push merged");
                Path store = artifacts.get(with.get("name") + "#" + with.get("pr"));
                assertTrue(store != null, "artifact " + with.get("name") + " was uploaded by an earlier job");
                Path into = Files.createDirectories(cwd.resolve((String) with.get("path")));
                for (Path f : RecipeShell.files(store)) {
                    Files.copy(f, into.resolve(f.getFileName()));
                }
            } else {
                throw new AssertionError("GitHub step uses " + uses + ", which this test does not run");
            }
        }
    }

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([\\w.]+)\\s*}}");

    /** {@code ${{ secrets.X }}} and the other expressions the recipe uses. */
    private String githubExpression(String value, Map<String, String> outputs) {
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String resolved;
            if (e.startsWith("secrets.")) {
                resolved = githubSecrets().get(e.substring("secrets.".length()));
                assertTrue(resolved != null, "the recipe reads " + e + ", which its secrets list does not name");
            } else if (e.startsWith("vars.")) {
                resolved = "unused-" + e;
            } else if (e.equals("github.token")) {
                resolved = "7";
            } else if (e.equals("github.event.pull_request.number")) {
                resolved = String.valueOf(pullRequest);
            } else if (outputs.containsKey(e)) {
                resolved = outputs.get(e);
            } else {
                throw new AssertionError("an expression this test does not know: " + e);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    private Map<String, String> githubSecrets() {
        Map<String, String> secrets = new HashMap<>(currentSecrets);
        secrets.put("GATEWAY_TOKEN", secrets.remove("CERTFORM_AUTH_TOKEN"));
        return secrets;
    }

    // ---- GitLab CI: the jobs' before_script and script, read from the doc's YAML

    private void gitlab(Path commit, RecipeShell.Run run) throws IOException {
        Map<String, Object> ci = RecipeShell.yaml(block("GitLab CI", "yaml"));
        Map<String, String> project = new HashMap<>(currentSecrets);
        project.put("GATEWAY_TOKEN", project.remove("CERTFORM_AUTH_TOKEN"));
        project.putAll(Map.of("GITLAB_API_TOKEN", "glpat", "CI_API_V4_URL", "https://gitlab.invalid/api/v4",
                "CI_PROJECT_ID", "1", "CI_MERGE_REQUEST_IID", "7"));
        for (String trigger : List.of("merge_request_event", "CI_DEFAULT_BRANCH")) {
            for (Map.Entry<String, Object> entry : ci.entrySet()) {
                if (!(entry.getValue() instanceof Map<?, ?> m) || !m.containsKey("rules")
                        || !String.valueOf(m.get("rules")).contains(trigger)) {
                    continue;
                }
                Map<String, Object> job = new LinkedHashMap<>(RecipeShell.map(ci.get((String) m.get("extends"))));
                job.putAll(RecipeShell.map(m));
                Map<String, String> env = new HashMap<>(project);
                RecipeShell.map(job.getOrDefault("variables", Map.of())).forEach((k, v) -> env.put(k,
                        new RecipeShell.Value(project).expand(String.valueOf(v))));
                Path cwd = checkout(commit);
                RecipeShell shell = new RecipeShell(cwd, env, run);
                List<Object> lines = new ArrayList<>((List<?>) job.get("before_script"));
                lines.addAll((List<?>) job.get("script"));
                for (Object line : lines) {
                    jobPassed("GitLab job " + entry.getKey(), shell.script(String.valueOf(line).strip()), run);
                }
            }
        }
    }

    // ---- Jenkins: each stage's credentials and sh script, read from the doc's Jenkinsfile

    private void jenkins(Path commit, RecipeShell.Run run) throws IOException {
        String pipeline = block("Jenkins", "groovy");
        Map<String, String> credentials = Map.of("gateway-token", TOKEN, "certform-pg-url", pg.url(),
                "shop-key", currentSecrets.get("SHOP_KEY"), "github-token", "ghp");
        Pattern binding = Pattern.compile("(string|file)\\(credentialsId: '([^']+)', variable: '(\\w+)'\\)");
        String[] stages = pipeline.split("stage\\('");
        for (String when : List.of("changeRequest()", "branch 'main'")) {
            for (int i = 1; i < stages.length; i++) {
                String stage = stages[i];
                if (!stage.contains("when { " + when + " }")) {
                    continue;
                }
                Map<String, String> env = new HashMap<>(Map.of("CHANGE_ID", "7"));
                Matcher c = binding.matcher(stage);
                while (c.find()) {
                    String secret = credentials.get(c.group(2));
                    assertTrue(secret != null, "credential " + c.group(2) + " is not in the recipe's list");
                    if (c.group(1).equals("file")) {
                        Path file = dir.resolve("jenkins-secrets").resolve(c.group(2));
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, secret);
                        env.put(c.group(3), file.toString());
                    } else {
                        env.put(c.group(3), secret);
                    }
                }
                Matcher sh = Pattern.compile("(?s)sh '''(.*?)'''").matcher(stage);
                assertTrue(sh.find(), stage);
                jobPassed("Jenkins stage " + stage.substring(0, stage.indexOf('\'')),
                        new RecipeShell(checkout(commit), env, run).script(sh.group(1)), run);
            }
        }
    }

    // ---- reading the doc

    private Map<String, String> currentSecrets = Map.of();

    /** The first fenced block of {@code lang} in the "## " (or "### ") section {@code heading} of docs/ci.md. */
    static String block(String heading, String lang) throws IOException {
        String text = Files.readString(CI);
        Matcher section = Pattern.compile("(?m)^#{2,3} " + Pattern.quote(heading) + "\n").matcher(text);
        assertTrue(section.find(), "docs/ci.md has a section '" + heading + "'");
        Matcher fence = Pattern.compile("(?s)\n```" + lang + "\n(.*?)\n```").matcher(text);
        assertTrue(fence.find(section.end()), "a ```" + lang + " block in '" + heading + "'");
        return fence.group(1) + "\n";
    }
}
