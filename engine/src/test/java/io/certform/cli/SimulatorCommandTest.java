package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certform simulator} as a user runs it: a separate process, serving a world file. */
class SimulatorCommandTest {

    @TempDir
    Path dir;

    private static Process certform(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void simulator_servesTheWorldFile_onThePrintedUrl_withTheGivenToken() throws Exception {
        Path world = dir.resolve("world.yaml");
        Files.writeString(world, """
                instances:
                  - id: 6d2c1b9e
                    groups:
                      - id: 2a7c
                        domains:
                          - { id: f6bb84cc, url_domain: www.example.com }
                """);
        Process process = certform("simulator", "--port", "0", "--world", world.toString(), "--token", "t1");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher m = Pattern.compile("certform simulator listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(first);
            assertTrue(m.matches(), first);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> group = http.send(HttpRequest.newBuilder(URI.create(m.group(1)
                    + "/v2/p/apic/instances/6d2c1b9e/api-groups/2a7c")).header("X-Auth-Token", "t1").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, group.statusCode());
            assertTrue(group.body().contains("\"domain\":\"www.example.com\""), group.body());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(m.group(1)
                    + "/v2/p/apic/instances/6d2c1b9e/api-groups/2a7c")).header("X-Auth-Token", "t2").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the simulator stops on SIGTERM");
        }
    }

    @Test
    void worldProject_andAuthFail_aWrongProjectAnswers404_andTheFirstCallsAnswer401() throws Exception {
        Path world = dir.resolve("eu.world.yaml");
        Files.writeString(world, """
                project_id: proj-eu
                region: eu-west-101
                instances:
                  - id: i1
                    groups:
                      - id: g1
                        domains:
                          - { id: d1, url_domain: www.example.com }
                """);
        Process process = certform("simulator", "--world", world.toString(), "--auth-fail", "2");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Matcher m = Pattern.compile("certform simulator listening on (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(out.readLine());
            assertTrue(m.matches());
            assertEquals("  project: proj-eu (eu-west-101)   (paths naming another project answer 404 APIG.3030)",
                    out.readLine());
            HttpClient http = HttpClient.newHttpClient();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (String project : List.of("proj-eu", "proj-eu", "proj-eu", "proj-us")) {
                statuses.add(http.send(HttpRequest.newBuilder(URI.create(m.group(1) + "/v2/" + project
                        + "/apic/instances/i1/api-groups/g1")).header("X-Auth-Token", "t").build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            assertEquals(List.of(401, 401, 200, 404), statuses);
        } finally {
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the simulator stops on SIGTERM");
        }
        CliRun both = CliRun.run(Map.of(), "", "simulator", "--auth-fail", "1", "--auth-fail-for", "1m");
        assertEquals(1, both.exitCode());
        assertTrue(both.err().contains("--auth-fail and --auth-fail-for cannot be combined"), both.err());
        CliRun negative = CliRun.run(Map.of(), "", "simulator", "--auth-fail", "-1");
        assertEquals(1, negative.exitCode());
        assertTrue(negative.err().contains("--auth-fail takes a number of calls, 0 or more, not -1"), negative.err());
        CliRun window = CliRun.run(Map.of(), "", "simulator", "--auth-fail-for", "a while");
        assertEquals(1, window.exitCode());
        assertTrue(window.err().contains("--auth-fail-for: 'a while' is not a duration"), window.err());
    }

    @Test
    void persist_keepsAHandWrittenYamlWorldAsWritten_andSavesBesideIt_thenStartsFromTheSave() throws Exception {
        Path world = dir.resolve("world.yaml");
        String handWritten = """
                # our rehearsal gateway: keep this comment
                instances:
                  - id: i1
                    groups:
                      - id: g1
                        domains:
                          - { id: d1, url_domain: www.example.com }   # the shop
                """;
        Files.writeString(world, handWritten);
        io.certform.testkit.TestCertificates.Issued cert = io.certform.testkit.TestCertificates.authority("Persist CA")
                .issue("www.example.com");
        String body = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("name", "shop_cert").put("cert_content", cert.chainPem())
                .put("private_key", cert.privateKeyPem()).toString();
        HttpClient http = HttpClient.newHttpClient();
        String base = "/v2/p/apic/instances/i1/api-groups/g1";
        Process first = certform("simulator", "--port", "0", "--world", world.toString(), "--persist");
        try {
            String url = url(first);
            HttpResponse<String> bound = http.send(HttpRequest.newBuilder(URI.create(url + base
                    + "/domains/d1/certificate")).header("X-Auth-Token", "t")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, bound.statusCode(), bound.body());
        } finally {
            first.destroy();
            assertTrue(first.waitFor(20, TimeUnit.SECONDS));
        }
        assertEquals(handWritten, Files.readString(world), "the hand-written world is left as written");
        Path saved = dir.resolve("world.yaml.saved.json");
        assertTrue(Files.exists(saved), "saved beside it");
        assertFalse(Files.readString(saved).contains("PRIVATE KEY"), "a saved world holds no key");

        Process second = certform("simulator", "--port", "0", "--world", world.toString(), "--persist");
        try {
            String url = url(second);
            HttpResponse<String> group = http.send(HttpRequest.newBuilder(URI.create(url + base))
                    .header("X-Auth-Token", "t").build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(group.body().contains("\"ssl_name\":\"shop_cert\""), "started from the save: " + group.body());
        } finally {
            second.destroy();
            assertTrue(second.waitFor(20, TimeUnit.SECONDS));
        }
    }

    private static String url(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        Matcher m = Pattern.compile("certform simulator listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(first);
        assertTrue(m.matches(), first);
        return m.group(1);
    }

    @Test
    void badWorldFile_isRefusedWithTheEntryAtFault() throws Exception {
        Path world = dir.resolve("world.yaml");
        Files.writeString(world, "instances:\n  - id: i1\n    groups:\n      - domains: []\n");
        Process process = certform("simulator", "--world", world.toString());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.contains("Error: " + world + ": instances[0].groups[0]: missing 'id'"), output);
    }

    @Test
    void unknownOnExistingMode_isAUsageError() {
        CliRun run = CliRun.run(Map.of(), "", "simulator", "--on-existing", "merge");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("unknown --on-existing value 'merge': expected replace or conflict"), run.err());
    }

    @Test
    void badFaultOptions_areUsageErrorsNamingTheOption() {
        CliRun serial = CliRun.run(Map.of(), "", "simulator", "--serial-format", "octal");
        assertEquals(1, serial.exitCode());
        assertTrue(serial.err().contains(
                "unknown --serial-format value 'octal': expected hex, hex-colon, hex-padded, decimal or mixed"),
                serial.err());
        CliRun lag = CliRun.run(Map.of(), "", "simulator", "--read-lag", "soon");
        assertEquals(1, lag.exitCode());
        assertTrue(lag.err().contains("--read-lag: 'soon' is not a duration"), lag.err());
        CliRun rates = CliRun.run(Map.of(), "", "simulator", "--late-rate", "0.6", "--slow-rate", "0.6");
        assertEquals(1, rates.exitCode());
        assertTrue(rates.err().contains("the fault rates add up to more than 1"), rates.err());
    }

    @Test
    void tlsPort_presentsTheBoundChain_withTheBrokenFault_liftedAtRunTime() throws Exception {
        Path world = dir.resolve("world.yaml");
        Files.writeString(world, """
                instances:
                  - id: i1
                    groups:
                      - id: g1
                        domains:
                          - { id: d1, url_domain: a.example.com }
                """);
        io.certform.testkit.TestCertificates.Authority root = io.certform.testkit.TestCertificates.authority("Root");
        io.certform.testkit.TestCertificates.Issued leaf = root.intermediate("Intermediate").issue("a.example.com");
        Process process = certform("simulator", "--port", "0", "--world", world.toString(), "--tls-port", "0",
                "--serve-broken", "a.example.com");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            Matcher url = Pattern.compile("certform simulator listening on (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(out.readLine());
            assertTrue(url.matches());
            String tlsLine = out.readLine();
            Matcher tls = Pattern.compile("\\s+tls: 127\\.0\\.0\\.1:(\\d+) .*").matcher(tlsLine);
            assertTrue(tls.matches(), tlsLine);
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"name\":\"cert_a\",\"cert_content\":" + json(leaf.chainPem())
                    + ",\"private_key\":" + json(leaf.privateKeyPem()) + "}";
            HttpResponse<String> bound = http.send(HttpRequest.newBuilder(URI.create(url.group(1)
                    + "/v2/p/apic/instances/i1/api-groups/g1/domains/d1/certificate")).header("X-Auth-Token", "t")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, bound.statusCode(), bound.body());

            io.certform.verify.TlsProbe probe = new io.certform.verify.TlsProbe(
                    new io.certform.verify.ProbeSettings(443, "127.0.0.1:" + tls.group(1),
                            java.time.Duration.ofSeconds(5), java.time.Duration.ZERO), List.of(root.certificate()),
                    java.time.Clock.systemUTC(), d -> { });
            io.certform.verify.ExpectedLeaf expected = io.certform.verify.ExpectedLeaf.of(leaf.certificate());
            assertEquals(io.certform.verify.Verification.Outcome.BROKEN,
                    probe.verify("a.example.com", expected).outcome());
            HttpResponse<String> lifted = http.send(HttpRequest.newBuilder(URI.create(url.group(1)
                    + "/_simulator/tls-faults")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, lifted.statusCode(), lifted.body());
            assertEquals(io.certform.verify.Verification.Outcome.VERIFIED,
                    probe.verify("a.example.com", expected).outcome());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the simulator stops on SIGTERM");
        }
    }

    @Test
    void dnsPort_answersTheTxtRecordSetCreatedThroughTheApi_inAZoneOfTheWorldFile() throws Exception {
        Path world = dir.resolve("world.yaml");
        Files.writeString(world, "dns_zones:\n  - { name: example.com. }\n");
        Process process = certform("simulator", "--port", "0", "--world", world.toString(), "--dns-port", "0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String first = out.readLine();
            Matcher url = Pattern.compile("certform simulator listening on (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(first);
            assertTrue(url.matches(), first); // nothing before it: no logging library's warning either
            String dnsLine = out.readLine();
            Matcher dns = Pattern.compile("\\s+dns: 127\\.0\\.0\\.1:(\\d+) .*").matcher(dnsLine);
            assertTrue(dns.matches(), dnsLine);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> zones = http.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v2/zones"))
                    .header("X-Auth-Token", "t").build(), HttpResponse.BodyHandlers.ofString());
            String zoneId = tools.jackson.databind.json.JsonMapper.builder().build().readTree(zones.body())
                    .path("zones").get(0).path("id").asString();
            HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(url.group(1) + "/v2/zones/"
                    + zoneId + "/recordsets")).header("X-Auth-Token", "t").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"_acme-challenge.example.com.\",\"type\":\"TXT\",\"records\":[\"\\\"v1\\\"\"]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, made.statusCode(), made.body());

            org.xbill.DNS.SimpleResolver resolver = new org.xbill.DNS.SimpleResolver(
                    new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(dns.group(1))));
            org.xbill.DNS.Message answer = resolver.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("_acme-challenge.example.com."), org.xbill.DNS.Type.TXT,
                    org.xbill.DNS.DClass.IN)));
            assertEquals(List.of("v1"), ((org.xbill.DNS.TXTRecord) answer.getSection(org.xbill.DNS.Section.ANSWER)
                    .get(0)).getStrings());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the simulator stops on SIGTERM");
        }
    }

    private static String json(String text) {
        return tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(text);
    }

    @Test
    void tlsFaultOptions_needATlsPort_andARateBetweenZeroAndOne() {
        CliRun alone = CliRun.run(Map.of(), "", "simulator", "--serve-broken", "a.example.com");
        assertEquals(1, alone.exitCode());
        assertTrue(alone.err().contains("--serve-stale-rate and --serve-broken need --tls-port N"), alone.err());
        CliRun rate = CliRun.run(Map.of(), "", "simulator", "--tls-port", "0", "--serve-stale-rate", "1.5");
        assertEquals(1, rate.exitCode());
        assertTrue(rate.err().contains("--serve-stale-rate/--serve-broken: the stale-serving rate is between 0 and 1,"
                + " not 1.5"), rate.err());
    }
}
