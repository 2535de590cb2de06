package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way of authenticating, end to end over HTTP against the simulator, and no secret anywhere after. */
class AuthEndToEndTest {

    private static final String AK = "QTWAOYTTINDUT2QVKYUC";
    private static final String SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    private static final String SECURITY_TOKEN = "temporary-security-token-value-0042";
    private static final String PASSWORD = "correct horse battery staple";
    private static final int BINDINGS = 6;

    @TempDir
    Path dir;

    private final TestCertificates.Issued wildcard = TestCertificates.authority("Auth CA").issue("*.example.com");
    private final List<CliRun> runs = new ArrayList<>();
    private Simulator simulator;

    private void start(SimulatorOptions options) throws Exception {
        GatewayWorld.Builder world = GatewayWorld.of(BINDINGS).groups(i -> "grp1").optionsAsGiven(options);
        simulator = world.startSimulator();
        world.manifest(simulator.baseUrl()).provider("endpoint: \"" + simulator.baseUrl() + "\"").write(dir, wildcard);
    }

    @AfterEach
    void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }

    private CliRun certform(Map<String, String> env, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        CliRun run = CliRun.run(env, "", all.toArray(String[]::new));
        runs.add(run);
        return run;
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        env.putIfAbsent("HUAWEICLOUD_SDK_PROJECT_ID", "proj1");
        return env;
    }

    private static SimulatorOptions keys(String securityToken) {
        return SimulatorOptions.defaults().withKeys(Map.of(AK, new SimulatorOptions.AccessKey(SK, securityToken)));
    }

    @Test
    void akSk_fromTheSdkVariables_signsEveryRequest_andValidateNamesTheSourceNotTheSecret() throws Exception {
        start(keys(null));
        Map<String, String> env = env("HUAWEICLOUD_SDK_AK", AK, "HUAWEICLOUD_SDK_SK", SK);
        CliRun validate = certform(env, "validate");
        assertTrue(validate.out().contains("Credentials: AK/SK from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK"
                + " (access key QTWA****YUC)"), validate.out());
        CliRun apply = certform(env, "apply", "--auto-approve", "--log-http");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(BINDINGS, simulator.world().certificatesCreated());
        assertTrue(apply.err().contains("Authorization: (redacted)"), "the HTTP log shows the header, redacted");
        assertTrue(apply.err().contains("\"private_key\":\"(redacted)\""), apply.err());
        assertTrue(apply.err().contains("X-Sdk-Date: "), apply.err());
        assertEquals(0, certform(env, "plan", "--detailed-exitcode").exitCode(), "refresh GETs are signed too");
        assertNoSecrets();
    }

    @Test
    void temporaryCredentials_sendTheSecurityToken_fromTheTerraformProviderVariables() throws Exception {
        start(keys(SECURITY_TOKEN));
        Map<String, String> env = env("HW_ACCESS_KEY", AK, "HW_SECRET_KEY", SK, "HW_SECURITY_TOKEN", SECURITY_TOKEN);
        assertTrue(certform(env, "validate").out().contains(", with a security token from HW_SECURITY_TOKEN"));
        CliRun apply = certform(env, "apply", "--auto-approve", "--log-http");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("X-Security-Token: (redacted)"), apply.err());
        CliRun without = certform(env("HW_ACCESS_KEY", AK, "HW_SECRET_KEY", SK), "destroy", "--auto-approve");
        assertEquals(1, without.exitCode(), "without its security token the key is refused");
        assertTrue(without.err().contains("APIGW.0301"), without.toString());
        assertNoSecrets();
    }

    @Test
    void iamPassword_getsAToken_andGetsAnotherWhenItExpires() throws Exception {
        AtomicLong ticks = new AtomicLong();
        Clock advancing = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.now().plus(Duration.ofMinutes(10 * ticks.incrementAndGet()));
            }
        };
        start(SimulatorOptions.defaults().withClock(advancing)
                .withIamUsers(Map.of("acme/deployer", PASSWORD), Duration.ofMinutes(25)));
        Map<String, String> env = env("HW_USER_NAME", "deployer", "HW_PASSWORD", PASSWORD, "HW_DOMAIN_NAME", "acme",
                "HW_AUTH_URL", simulator.baseUrl() + "/v3");
        CliRun validate = certform(env, "validate");
        assertTrue(validate.out().contains("Credentials: IAM password of user 'deployer' in domain 'acme' from"
                + " HW_USER_NAME / HW_PASSWORD / HW_DOMAIN_NAME"), validate.out());
        CliRun apply = certform(env, "apply", "--auto-approve", "--parallelism", "1", "--log-http");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(BINDINGS, simulator.world().certificatesCreated());
        assertTrue(apply.err().contains("APIG.1001"), "a token expired during the run: " + apply.err());
        assertTrue(apply.err().toLowerCase(java.util.Locale.ROOT).contains("x-subject-token: (redacted)"), apply.err());
        assertTrue(apply.err().contains("\"password\":\"(redacted)\""), apply.err());

        CliRun wrong = certform(env("HW_USER_NAME", "deployer", "HW_PASSWORD", "nope-wrong-pass", "HW_DOMAIN_NAME", "acme",
                "HW_AUTH_URL", simulator.baseUrl() + "/v3"), "destroy", "--auto-approve");
        assertEquals(1, wrong.exitCode());
        assertTrue(wrong.all().contains("IAM (HTTP 401): IAM at "), wrong.toString());
        assertTrue(wrong.all().contains("refused the password of user 'deployer' in domain 'acme'"), wrong.toString());
        assertFalse(wrong.all().contains("in domain 'acme' (HTTP"), "the status, once: " + wrong);
        assertFalse(wrong.all().contains("nope-wrong-pass"));
        assertNoSecrets();
    }

    @Test
    void wrongSecretKey_isAClearError_namingTheSource_andNothingChanges() throws Exception {
        start(keys(null));
        CliRun apply = certform(env("HUAWEICLOUD_SDK_AK", AK, "HUAWEICLOUD_SDK_SK", "WRONGwrongWRONGwrong"), "apply",
                "--auto-approve", "--parallelism", "1");
        assertEquals(1, apply.exitCode());
        // the plan reads every declared domain's group first (a domain may carry its certificate already): the
        // refusal stops the run there, once, before any write
        assertTrue(apply.all().contains("APIGW.0301 (HTTP 401): Incorrect IAM authentication information: verify aksk"
                + " signature fail (the signature does not match)"), apply.toString());
        assertTrue(apply.all().contains("AK/SK from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK (access key QTWA****YUC)"),
                apply.toString());
        assertFalse(apply.all().contains("WRONGwrongWRONGwrong"));
        assertEquals(0, simulator.world().certificatesCreated());
    }

    @Test
    void anIamEndpointThatRefusesConnections_isNamed_notTheGateway_andNotRetried() throws Exception {
        start(SimulatorOptions.defaults().withIamUsers(Map.of("acme/deployer", PASSWORD), Duration.ofMinutes(25)));
        int iamPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            iamPort = socket.getLocalPort(); // closed again: nothing listens there
        }
        CliRun plan = certform(env("HW_USER_NAME", "deployer", "HW_PASSWORD", PASSWORD, "HW_DOMAIN_NAME", "acme",
                "HW_AUTH_URL", "http://127.0.0.1:" + iamPort + "/v3"), "plan");
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.all().contains("cannot reach IAM at http://127.0.0.1:" + iamPort), plan.toString());
        assertTrue(plan.all().contains("check HW_AUTH_URL"), plan.toString());
        assertFalse(plan.all().contains("nothing listens on port " + java.net.URI.create(simulator.baseUrl())
                .getPort()), "the gateway, which answers, is not blamed\n" + plan);
        assertFalse(plan.all().contains(PASSWORD), plan.toString());
    }

    @Test
    void anHttpsIamEndpointOnAPortThatDoesNotSpeakTls_failsAfterOneHandshake_namingIam() throws Exception {
        start(SimulatorOptions.defaults().withIamUsers(Map.of("acme/deployer", PASSWORD), Duration.ofMinutes(25)));
        try (io.certform.api.CountingPort iam = io.certform.api.CountingPort.silent()) {
            String iamUrl = "https://127.0.0.1:" + iam.port() + "/v3";
            CliRun plan = certform(env("HW_USER_NAME", "deployer", "HW_PASSWORD", PASSWORD, "HW_DOMAIN_NAME", "acme",
                    "HW_AUTH_URL", iamUrl), "plan", "--tls-handshake-timeout", "2s");
            assertEquals(1, plan.exitCode(), plan.toString());
            assertEquals(1, iam.connections(), "one connection to IAM, not retried\n" + plan);
            assertTrue(plan.all().contains("does it speak TLS?"), "names the cause\n" + plan);
            assertTrue(plan.all().contains("IAM"), "names IAM, not the gateway\n" + plan);
            assertFalse(plan.all().contains("run certform again when the gateway answers"), plan.toString());
            assertFalse(plan.all().contains(PASSWORD), plan.toString());
        }
    }

    @Test
    void credentialsFile_isUsedLast_andFlagsAndVariablesComeFirst() throws Exception {
        start(keys(null));
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".huaweicloud"));
        Files.writeString(home.resolve(".huaweicloud/credentials"), """
                # as Huawei's SDKs write it
                [basic]
                ak = %s
                sk = %s
                project_id = proj9
                """.formatted(AK, SK));
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        CliRun validate = certform(env, "validate");
        assertTrue(validate.out().contains("Credentials: AK/SK from " + home.resolve(".huaweicloud/credentials")
                + " [basic] (access key QTWA****YUC)"), validate.out());
        assertEquals(0, certform(env, "apply", "--auto-approve").exitCode());

        env.put("HW_ACCESS_KEY", "OTHERKEY1234567");
        env.put("HW_SECRET_KEY", "other-secret");
        assertTrue(certform(env, "validate").out().contains("AK/SK from HW_ACCESS_KEY / HW_SECRET_KEY"));
        env.put("CERTFORM_AUTH_TOKEN", "tok");
        assertTrue(certform(env, "validate").out().contains("Credentials: token from CERTFORM_AUTH_TOKEN"));
        assertTrue(certform(env, "validate", "--token", "x").out().contains("Credentials: token from --token"));
        assertNoSecrets();
    }

    @Test
    void halfAPair_isAnErrorNamingWhatIsMissing() throws Exception {
        start(keys(null));
        // even without refresh, a plan looks at the domains the state does not record before it plans a create
        // (one may carry its certificate already), so it needs the credentials too
        CliRun run = certform(env("HUAWEICLOUD_SDK_AK", AK), "plan", "--refresh=false");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("(missing: HUAWEICLOUD_SDK_SK)"), run.toString());
        CliRun apply = certform(env("HUAWEICLOUD_SDK_AK", AK), "apply", "--auto-approve");
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains("incomplete AK/SK: HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK must both be set"
                + " (missing: HUAWEICLOUD_SDK_SK)"), apply.err());
    }

    @Test
    void aPlanThatReadsNothing_needsNoCredentials() throws Exception {
        start(keys(null));
        assertEquals(0, certform(env("HUAWEICLOUD_SDK_AK", AK, "HUAWEICLOUD_SDK_SK", SK), "apply", "--auto-approve")
                .exitCode());
        // the state records every binding: without refresh nothing is read, so no credentials (docs/authentication.md)
        CliRun plan = certform(env(), "plan", "--refresh=false", "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("No changes."), plan.toString());
        assertFalse(plan.all().contains("no credentials"), plan.toString());
    }

    @Test
    void passwordCredentials_withAGatewayEndpointButNoRegion_nameTheMissingIamEndpoint() throws Exception {
        start(keys(null));
        Map<String, String> env = env("HW_USER_NAME", "u", "HW_PASSWORD", PASSWORD, "HW_DOMAIN_NAME", "d");
        String expected = "no IAM endpoint to exchange the password for a token: set HW_AUTH_URL (e.g."
                + " https://iam.ap-southeast-1.myhuaweicloud.com/v3), or provider.region (or HW_REGION_NAME) to derive"
                + " it; provider.endpoint names the gateway, not IAM.";
        CliRun validate = certform(env, "validate");
        assertEquals(1, validate.exitCode(), "a CI gate must not pass on credentials that cannot work");
        assertTrue(validate.err().contains("error: " + expected), validate.toString());
        CliRun apply = certform(env, "apply", "--auto-approve");
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains(expected), apply.err());
        assertFalse(apply.all().contains("no endpoint"), "the gateway endpoint is set: " + apply.all());
        assertEquals(0, simulator.world().certificatesCreated());
    }

    @Test
    void validate_namesTheIamEndpoint_itWouldUse_forPasswordCredentials() throws Exception {
        start(keys(null));
        Map<String, String> env = env("HW_USER_NAME", "u", "HW_PASSWORD", PASSWORD, "HW_DOMAIN_NAME", "d",
                "HW_AUTH_URL", "https://iam.example.com/v3/");
        assertTrue(certform(env, "validate").out().contains(", exchanged for a token at"
                + " https://iam.example.com/v3/auth/tokens (from HW_AUTH_URL)"), runs.get(runs.size() - 1).out());
        env.remove("HW_AUTH_URL");
        env.put("HW_REGION_NAME", "ap-southeast-3");
        CliRun derived = certform(env, "validate");
        assertTrue(derived.out().contains(", exchanged for a token at"
                + " https://iam.ap-southeast-3.myhuaweicloud.com/v3/auth/tokens (derived from HW_REGION_NAME)"),
                derived.out());
    }

    @Test
    void plainHttpIam_isRefusedForARemoteHost() throws Exception {
        start(keys(null));
        CliRun apply = certform(env("HW_USER_NAME", "u", "HW_PASSWORD", "p", "HW_DOMAIN_NAME", "d",
                "HW_AUTH_URL", "http://iam.example.com/v3"), "apply", "--auto-approve");
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains("plain http:// is refused for the IAM endpoint iam.example.com"), apply.err());
    }

    /** The SK, password, security token, IAM tokens and key material: in no output stream, log or file. */
    private void assertNoSecrets() throws Exception {
        StringBuilder everything = new StringBuilder();
        runs.forEach(r -> everything.append(r.all()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("wild.key")
                    && !f.endsWith(".huaweicloud/credentials")).toList()) {
                everything.append(Files.readString(file));
            }
        }
        String text = everything.toString();
        for (String secret : List.of(SK, PASSWORD, SECURITY_TOKEN)) {
            assertFalse(text.contains(secret), "a secret leaked");
        }
        assertFalse(Pattern.compile("MII[0-9a-f]{32}").matcher(text).find(), "an IAM token leaked");
        for (String line : wildcard.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).toList()) {
            assertFalse(text.contains(line), "private key material leaked");
        }
        assertFalse(text.contains("PRIVATE KEY"));
    }
}
