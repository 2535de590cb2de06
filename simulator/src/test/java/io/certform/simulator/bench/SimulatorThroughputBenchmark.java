package io.certform.simulator.bench;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many add-certificate POSTs per second the simulator sustains on loopback with no injected latency.
 * Not a test: run {@code bench/simulator-throughput.sh [requests] [clients]}; it prints the figures.
 * Client and server share the machine, so the figure is a floor for the server alone.
 */
public final class SimulatorThroughputBenchmark {

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int domains = 1000;
        World world = new World();
        for (int i = 0; i < domains; i++) {
            world.addDomain("inst1", "grp1", "dom" + i, "d" + i + ".example.com");
        }
        TestCertificates.Issued wildcard = TestCertificates.authority("Bench CA").issue("*.example.com");
        String body = "{\"name\":\"bench_cert\",\"cert_content\":" + quote(wildcard.chainPem())
                + ",\"private_key\":" + quote(wildcard.privateKeyPem()) + "}";
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .executor(Executors.newFixedThreadPool(clients)).build();
            String base = simulator.baseUrl() + "/v2/p/apic/instances/inst1/api-groups/grp1/domains/dom";
            run(http, base, body, Math.min(2_000, requests), clients, domains); // warm-up: JIT, connections
            long start = System.nanoTime();
            int failures = run(http, base, body, requests, clients, domains);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("simulator throughput: %d POST /certificate in %.2f s with %d clients = %.0f requests/s"
                    + " (%d non-201)%n", requests, seconds, clients, requests / seconds, failures);
            System.out.printf("machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
        System.exit(0);
    }

    private static int run(HttpClient http, String base, String body, int requests, int clients, int domains)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(base + (i % domains) + "/certificate"))
                            .header("X-Auth-Token", "bench").timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() != 201) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return failures.get();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}
