package io.certform.simulator.bench;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The certificate-management model on the simulator at scale: create one certificate, attach it to N domains in
 * chunks, list the attachments, rotate with one PUT. Not a test: run
 * {@code bench/shared-rollout.sh [domains] [chunk]}; it prints each step's time and the call counts, so that the
 * simulator is shown not to be the bottleneck of a shared rollout.
 */
public final class SharedRolloutBenchmark {

    public static void main(String[] args) throws Exception {
        int domains = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int chunk = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        World world = new World();
        for (int i = 0; i < domains; i++) {
            world.addDomain("inst1", "grp" + (i / 5), "dom" + i, "d" + i + ".example.com");
        }
        TestCertificates.Authority ca = TestCertificates.authority("Bench CA");
        String first = form(ca.issue("*.example.com"));
        String renewed = form(ca.issue("*.example.com"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            String base = simulator.baseUrl() + "/v2/p/apic/certificates";
            long t0 = System.nanoTime();
            String created = send(http, "POST", base, first);
            String id = created.replaceAll("(?s).*\"id\":\"([0-9a-f]+)\".*", "$1");
            long t1 = System.nanoTime();
            for (int from = 0; from < domains; from += chunk) {
                StringBuilder body = new StringBuilder("{\"domains\":[");
                for (int i = from; i < Math.min(from + chunk, domains); i++) {
                    body.append(i == from ? "" : ",").append("{\"domain\":\"d").append(i)
                            .append(".example.com\",\"instance_ids\":[\"inst1\"]}");
                }
                send(http, "POST", base + "/" + id + "/domains/attach", body.append("]}").toString());
            }
            long t2 = System.nanoTime();
            for (int offset = 0; offset < domains; offset += 500) {
                send(http, "GET", base + "/" + id + "/attached-domains?offset=" + offset + "&limit=500", null);
            }
            long t3 = System.nanoTime();
            send(http, "PUT", base + "/" + id, renewed);
            long t4 = System.nanoTime();
            System.out.printf("shared rollout on the simulator: %d domains, chunks of %d%n", domains, chunk);
            System.out.printf("  create 1 call %.0f ms; attach %d calls %.0f ms; attached-domains %d pages %.0f ms;"
                            + " rotate 1 PUT %.0f ms%n", (t1 - t0) / 1e6, (domains + chunk - 1) / chunk,
                    (t2 - t1) / 1e6, (domains + 499) / 500, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
            String state = send(http, "GET", simulator.baseUrl() + "/_simulator/state", null);
            System.out.println("  counters: " + state.replaceAll("(?s).*\"calls\":(\\{[^}]*}).*", "$1"));
            System.out.printf("machine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        }
        System.exit(0);
    }

    private static String form(TestCertificates.Issued c) {
        return "{\"name\":\"bench_shared\",\"type\":\"global\",\"cert_content\":" + quote(c.chainPem())
                + ",\"private_key\":" + quote(c.privateKeyPem()) + "}";
    }

    private static String send(HttpClient http, String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", "bench")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " -> " + answer.statusCode() + " " + answer.body());
        }
        return answer.body();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
