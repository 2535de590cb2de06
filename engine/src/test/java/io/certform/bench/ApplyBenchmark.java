package io.certform.bench;

import io.certform.cli.Context;
import io.certform.cli.Main;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies N bindings against the simulator with a fixed latency and prints the wall time against the ideal
 * N x latency / parallelism, with what durability cost (journal records, fsyncs, state rewrites).
 * Not a test: run {@code bench/apply.sh [bindings] [latency_ms] [parallelism]}.
 */
public final class ApplyBenchmark {

    public static void main(String[] args) throws Exception {
        int bindings = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int latencyMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Path dir = Files.createTempDirectory("certform-bench");
        TestCertificates.Issued wildcard = TestCertificates.authority("Bench CA").issue("*.example.com");
        SimulatedRollout rollout = new SimulatedRollout(bindings, i -> "grp" + (i / 5), true);
        Duration latency = Duration.ofMillis(latencyMs);
        try (Simulator simulator = Simulator.start(rollout.world(), SimulatorOptions.defaults()
                .withFaults(Faults.none().withLatency(latency, latency)), 0)) {
            rollout.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", wildcard, "");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            Context context = new Context(new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader("")),
                    Map.of("CERTFORM_AUTH_TOKEN", "bench")::get, Clock.systemUTC(), false);
            long planStart = System.nanoTime();
            Main.run(new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                    new BufferedReader(new StringReader("")), Map.of("CERTFORM_AUTH_TOKEN", "bench")::get,
                    Clock.systemUTC(), false), "plan", "--json", "-f", dir.resolve("certform.yaml").toString());
            double planSeconds = (System.nanoTime() - planStart) / 1e9;
            long start = System.nanoTime();
            int code = Main.run(context, "apply", "--auto-approve", "--json", "--parallelism", Integer.toString(parallelism),
                    "-f", dir.resolve("certform.yaml").toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode summary = JsonMapper.builder().build().readTree(out.toString().lines()
                    .reduce((a, b) -> b).orElseThrow());
            double ideal = bindings * latencyMs / 1000.0 / parallelism;
            System.out.printf("apply: %d bindings, %d ms latency, parallelism %d: %.2f s wall; ideal %.2f s (%.2fx);"
                            + " exit %d%n", bindings, latencyMs, parallelism, seconds, ideal, seconds / ideal, code);
            System.out.printf("of which loading the manifest and planning (measured by a plan run before): %.2f s%n",
                    planSeconds);
            System.out.printf("durability: %d journal records, %d fsyncs (%.1f records per fsync), %d state file"
                            + " writes; state %d KiB%n", summary.path("journal_records").asLong(),
                    summary.path("journal_fsyncs").asLong(), summary.path("journal_records").asDouble()
                            / Math.max(1, summary.path("journal_fsyncs").asLong()), summary.path("state_writes").asLong(),
                    Files.size(dir.resolve("certform.state.json")) / 1024);
            System.out.printf("simulator: %d certificates created; machine: %d cores, Java %s%n",
                    simulator.world().certificatesCreated(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
        System.exit(0);
    }
}
