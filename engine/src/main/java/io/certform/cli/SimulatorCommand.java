package io.certform.cli;

import io.certform.base.Durations;
import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.SerialFormat;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.simulator.WorldFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "simulator", mixinStandardHelpOptions = true,
        description = {"Run the local emulation of the gateway API on 127.0.0.1 until interrupted.",
                "Serves the apic (ROMA Connect) and apigw (API Gateway) paths, and GET /_simulator/state."})
final class SimulatorCommand implements Callable<Integer>, Main.ContextAware {

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port to listen on (default: any free port; the base URL is printed).")
    int port;

    @Option(names = "--tls-port", paramLabel = "N",
            description = "Also serve TLS on 127.0.0.1:N (0: any free port; the port is printed): each handshake"
                    + " presents the certificate the domain named by SNI carries now. Keys stay in memory only.")
    Integer tlsPort;

    @Option(names = "--dns-port", paramLabel = "N",
            description = "Also answer DNS queries (TXT, SOA, NS) for the world's Huawei Cloud DNS zones on"
                    + " 127.0.0.1:N, UDP and TCP (0: any free port; the port is printed).")
    Integer dnsPort;

    @Option(names = "--serve-stale-rate", paramLabel = "R", defaultValue = "0",
            description = "Share (0..1) of domain names whose TLS port keeps presenting the certificate they carried"
                    + " before their last change (which names: fixed by the name and --seed).")
    double serveStaleRate;

    @Option(names = "--serve-broken", paramLabel = "NAMES",
            description = "Comma-separated domain names (* for one label) whose TLS port presents the leaf without"
                    + " its intermediates, so the chain does not verify.")
    String serveBroken;

    @Option(names = "--world", paramLabel = "FILE",
            description = "World file: instances, groups and domains (YAML or JSON, any size; see docs/simulator.md).")
    Path world;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "A token to accept (repeatable). With none, any non-empty token is accepted.")
    List<String> tokens = new ArrayList<>();

    @Option(names = "--read-only-token", paramLabel = "TOKEN",
            description = "A token accepted for reads only; writes answer 403 APIG.1005 (repeatable).")
    List<String> readOnlyTokens = new ArrayList<>();

    @Option(names = "--on-existing", paramLabel = "MODE", defaultValue = "replace",
            description = "A second certificate on a domain: replace (default) or conflict (400 APIG.3400).")
    String onExisting;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for generated ids, to reproduce a run.")
    Long seed;

    @Option(names = "--latency", paramLabel = "D",
            description = "Delay added to each certificate call and group read: fixed (20ms) or a range (10ms..80ms).")
    String latency;

    @Option(names = "--error-rate", paramLabel = "R", defaultValue = "0",
            description = "Share (0..1) of certificate calls and group reads answered 500 APIG.9999 or 503,"
                    + " without effect.")
    double errorRate;

    @Option(names = "--throttle-rate", paramLabel = "R", defaultValue = "0",
            description = "Share answered 429 APIGW.0308 with Retry-After, without effect.")
    double throttleRate;

    @Option(names = "--drop-rate", paramLabel = "R", defaultValue = "0",
            description = "Share of certificate writes carried out, then answered by closing the connection"
                    + " (the lost-response case).")
    double dropRate;

    @Option(names = "--stall-rate", paramLabel = "R", defaultValue = "0",
            description = "Share left unanswered for --stall-time, then closed, without effect.")
    double stallRate;

    @Option(names = "--stall-time", paramLabel = "D", defaultValue = "90s",
            description = "How long a stalled call hangs (default: ${DEFAULT-VALUE}, past certform's read timeout).")
    String stallTime;

    @Option(names = "--slow-rate", paramLabel = "R", defaultValue = "0",
            description = "Share of certificate writes held for --slow-time, committed at its end, then answered.")
    double slowRate;

    @Option(names = "--slow-time", paramLabel = "D", defaultValue = "90s",
            description = "How long a slow write is held before it lands (default: ${DEFAULT-VALUE}).")
    String slowTime;

    @Option(names = "--late-rate", paramLabel = "R", defaultValue = "0",
            description = "Share of certificate writes closed at once without an answer, committed --late-time later.")
    double lateRate;

    @Option(names = "--late-time", paramLabel = "D", defaultValue = "2s",
            description = "How long after its lost answer a late write lands (default: ${DEFAULT-VALUE}).")
    String lateTime;

    @Option(names = "--read-lag", paramLabel = "D", defaultValue = "0s",
            description = "Group and certificate reads show a write only D after it committed (default: at once).")
    String readLag;

    @Option(names = "--serial-format", paramLabel = "FORMAT", defaultValue = "hex",
            description = "serial_number in answers: hex (default), hex-colon, hex-padded, decimal or mixed.")
    String serialFormat;

    @Option(names = "--project", paramLabel = "ID",
            description = "A project id that exists (repeatable), besides the world file's project_id; paths naming"
                    + " another answer 404 APIG.3030. With neither, any project id is accepted.")
    List<String> projects = new ArrayList<>();

    @Option(names = "--retry-after", paramLabel = "D", defaultValue = "1s",
            description = "Retry-After of throttled answers (default: ${DEFAULT-VALUE}).")
    String retryAfter;

    @Option(names = "--aksk", paramLabel = "AK:SK[:TOKEN]",
            description = "An AK/SK pair whose SDK-HMAC-SHA256 signatures are accepted (repeatable); with TOKEN,"
                    + " requests must also send it as X-Security-Token (temporary credentials).")
    List<String> aksk = new ArrayList<>();

    @Option(names = "--iam-user", paramLabel = "DOMAIN/USER:PASSWORD",
            description = "A user the emulated IAM (POST /v3/auth/tokens) gives tokens to (repeatable).")
    List<String> iamUsers = new ArrayList<>();

    @Option(names = "--token-ttl", paramLabel = "D",
            description = "How long IAM tokens stay valid; then calls answer 401 APIG.1001 (default: the whole run).")
    String tokenTtl;

    @Option(names = "--auth-fail", paramLabel = "N",
            description = "The first N calls that authenticate answer 401 (APIG.1002 to a token, APIGW.0301 to an"
                    + " AK/SK signature), without effect; later ones are served. At run time: POST /_simulator/auth-fail.")
    Integer authFail;

    @Option(names = "--auth-fail-for", paramLabel = "D",
            description = "Every call that authenticates during the first D of the run answers 401, without effect.")
    String authFailFor;

    @Option(names = "--persist", description = {"Save the world (with its bindings) on exit, and start from it next time:"
            + " a JSON --world is saved in place; a hand-written YAML one is left as written (comments and all) and"
            + " saved beside it as FILE.saved.json."})
    boolean persist;

    private Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    private java.util.Map<String, SimulatorOptions.AccessKey> keys() {
        java.util.Map<String, SimulatorOptions.AccessKey> keys = new java.util.HashMap<>();
        for (String pair : aksk) {
            String[] parts = pair.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new CliException(Main.ERROR, "--aksk takes AK:SK or AK:SK:SECURITY_TOKEN");
            }
            keys.put(parts[0], new SimulatorOptions.AccessKey(parts[1], parts.length == 3 ? parts[2] : null));
        }
        return keys;
    }

    /**
     * Where {@code --persist} saves a world read from {@code world}: the file itself when it is JSON (certform's
     * own format), else {@code FILE.saved.json} beside it, so a hand-written YAML world keeps its comments.
     */
    static Path persistTarget(Path world) {
        String name = world.getFileName().toString();
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? world
                : world.resolveSibling(name + ".saved.json");
    }

    private java.util.Map<String, String> users() {
        java.util.Map<String, String> users = new java.util.HashMap<>();
        for (String user : iamUsers) {
            int slash = user.indexOf('/');
            int colon = user.indexOf(':', Math.max(slash, 0));
            if (slash <= 0 || colon <= slash + 1) {
                throw new CliException(Main.ERROR, "--iam-user takes DOMAIN/USER:PASSWORD");
            }
            users.put(user.substring(0, colon), user.substring(colon + 1));
        }
        return users;
    }

    private Faults faults() {
        Faults faults;
        try {
            faults = Faults.none().withRates(errorRate, throttleRate, dropRate, stallRate)
                    .withSlowWrites(slowRate, Duration.ZERO).withLateWrites(lateRate, Duration.ZERO);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        faults = faults.withStallTime(duration("--stall-time", stallTime))
                .withRetryAfter(duration("--retry-after", retryAfter))
                .withSlowWrites(slowRate, duration("--slow-time", slowTime))
                .withLateWrites(lateRate, duration("--late-time", lateTime))
                .withReadLag(duration("--read-lag", readLag));
        if (latency != null) {
            try {
                Duration[] range = Durations.parseRange(latency);
                faults = faults.withLatency(range[0], range[1]);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.ERROR, "--latency: " + e.getMessage());
            }
        }
        return faults;
    }

    private static Duration duration(String option, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, option + ": " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        OnExisting mode;
        SerialFormat serials;
        try {
            mode = OnExisting.parse(onExisting);
            serials = SerialFormat.parse(serialFormat);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        World loaded;
        Path saveTo = world == null ? null : persistTarget(world);
        Path readFrom = persist && saveTo != null && !saveTo.equals(world) && java.nio.file.Files.exists(saveTo)
                ? saveTo : world;
        try {
            loaded = readFrom == null ? new World() : WorldFile.read(readFrom);
        } catch (WorldFile.WorldFileException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CliException(Main.ERROR, "world file not found: " + world);
        }
        if (persist && world == null) {
            throw new CliException(Main.ERROR, "--persist needs --world FILE to save to");
        }
        SimulatorOptions options = SimulatorOptions.defaults().withTokens(Set.copyOf(tokens))
                .withReadOnlyTokens(Set.copyOf(readOnlyTokens)).withOnExisting(mode).withFaults(faults())
                .withSerialFormat(serials).withProjects(Set.copyOf(projects));
        if (seed != null) {
            options = options.withSeed(seed);
        }
        options = options.withKeys(keys()).withIamUsers(users(), tokenTtl == null ? null : duration("--token-ttl", tokenTtl));
        TlsFaults tlsFaults;
        try {
            tlsFaults = TlsFaults.of(serveStaleRate, serveBroken);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "--serve-stale-rate/--serve-broken: " + e.getMessage());
        }
        if (tlsPort == null && (serveStaleRate != 0 || serveBroken != null)) {
            throw new CliException(Main.ERROR, "--serve-stale-rate and --serve-broken need --tls-port N");
        }
        if (authFail != null && authFailFor != null) {
            throw new CliException(Main.ERROR, "--auth-fail and --auth-fail-for cannot be combined: give one");
        }
        if (authFail != null && authFail < 0) {
            throw new CliException(Main.ERROR, "--auth-fail takes a number of calls, 0 or more, not " + authFail);
        }
        Duration outage = authFailFor == null ? null : duration("--auth-fail-for", authFailFor);
        CountDownLatch stopped = new CountDownLatch(1);
        Simulator simulator;
        try {
            simulator = Simulator.start(loaded, options, port);
        } catch (java.net.BindException e) {
            throw new CliException(Main.ERROR, "cannot listen on 127.0.0.1:" + port + ": the port is in use."
                    + " Pick another with --port, or --port 0 for any free port.");
        }
        if (authFail != null) {
            simulator.failAuthentication(authFail);
        } else if (outage != null) {
            simulator.failAuthenticationFor(outage);
        }
        if (tlsPort != null) {
            try {
                simulator.serveTls(tlsPort, tlsFaults);
            } catch (java.net.BindException e) {
                simulator.close();
                throw new CliException(Main.ERROR, "cannot listen on 127.0.0.1:" + tlsPort + ": the port is in use."
                        + " Pick another with --tls-port, or --tls-port 0 for any free port.");
            }
        }
        if (dnsPort != null) {
            try {
                simulator.serveDns(dnsPort);
            } catch (java.net.BindException e) {
                simulator.close();
                throw new CliException(Main.ERROR, "cannot listen on 127.0.0.1:" + dnsPort + " (UDP or TCP): the port"
                        + " is in use. Pick another with --dns-port, or --dns-port 0 for any free port.");
            }
        }
        Thread hook = new Thread(() -> {
            try {
                if (persist) {
                    WorldFile.write(loaded, saveTo);
                }
            } catch (IOException e) {
                context.err().println("Error: cannot save the world to " + saveTo + ": " + e.getMessage());
            } finally {
                simulator.close();
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        context.out().println("certform simulator listening on " + simulator.baseUrl());
        if (persist) {
            context.out().println("  world: read from " + readFrom + ", saved on exit to " + saveTo);
        }
        if (loaded.projectId() != null) {
            context.out().println("  project: " + loaded.projectId() + (loaded.region() == null ? ""
                    : " (" + loaded.region() + ")") + "   (paths naming another project answer 404 APIG.3030)");
        }
        if (simulator.tlsPort() >= 0) {
            context.out().println("  tls: 127.0.0.1:" + simulator.tlsPort() + "   (SNI picks the domain;"
                    + " faults: POST /_simulator/tls-faults)");
        }
        if (simulator.dnsPort() >= 0) {
            context.out().println("  dns: 127.0.0.1:" + simulator.dnsPort() + "   (UDP and TCP; zones: dns_zones)");
        }
        context.out().println("  state: GET " + simulator.baseUrl() + "/_simulator/state   (Ctrl-C to stop)");
        context.out().flush();
        stopped.await();
        return Main.OK;
    }
}
