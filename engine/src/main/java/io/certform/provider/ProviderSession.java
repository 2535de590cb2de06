package io.certform.provider;

import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TokenAuth;
import io.certform.manifest.Environment;
import io.certform.manifest.Manifest;
import io.certform.manifest.Provider;
import io.certform.plan.DesiredBinding;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.simulator.WorldFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The API for one run. The client is made on first use, so a run that needs no call needs no credentials and
 * starts no simulator. Close it to stop the embedded simulator; its world is saved beside the state when calls
 * changed it, and only then (a plan, or an apply that was not approved, writes nothing).
 */
public final class ProviderSession implements AutoCloseable {

    /** Environment variable with an IAM token, used when {@code --token} is not given. */
    public static final String TOKEN_VARIABLE = "CERTFORM_AUTH_TOKEN";
    private static final String EMBEDDED_PROJECT = "embedded0project";

    private final Manifest manifest;
    private final List<DesiredBinding> bindings;
    private final String token;
    private final Environment environment;
    private final int parallelism;
    private final String userAgent;
    private final GatewayClient.Timeouts timeouts;
    private Simulator simulator;
    private long seededRevision;
    private GatewayClient client;

    /**
     * @param token from {@code --token}, or null to read {@value #TOKEN_VARIABLE}
     */
    public ProviderSession(Manifest manifest, List<DesiredBinding> bindings, String token, Environment environment,
                           int parallelism, String userAgent) {
        this(manifest, bindings, token, environment, parallelism, userAgent, GatewayClient.Timeouts.DEFAULT);
    }

    public ProviderSession(Manifest manifest, List<DesiredBinding> bindings, String token, Environment environment,
                           int parallelism, String userAgent, GatewayClient.Timeouts timeouts) {
        this.timeouts = timeouts;
        this.manifest = manifest;
        this.bindings = List.copyOf(bindings);
        this.token = token;
        this.environment = environment;
        this.parallelism = parallelism;
        this.userAgent = userAgent;
    }

    /** Where the embedded simulator keeps its world: beside the state, under {@code .certform/}. */
    public static Path worldFile(Path statePath) {
        Path folder = statePath.toAbsolutePath().getParent();
        return folder.resolve(".certform").resolve(statePath.getFileName() + ".world.json");
    }

    public synchronized GatewayClient client() throws ProviderException {
        if (client == null) {
            client = manifest.provider().embedded() ? startEmbedded() : connectRemote();
        }
        return client;
    }

    /** Where calls go, for messages. */
    public String describe() {
        Provider p = manifest.provider();
        if (p.embedded()) {
            return "the embedded simulator" + (simulator == null ? "" : " at " + simulator.baseUrl());
        }
        return p.endpoint() != null ? p.endpoint() : Endpoint.defaultBaseUrl(p.service(), p.region());
    }

    private GatewayClient startEmbedded() throws ProviderException {
        Path file = worldFile(manifest.statePath());
        World world;
        try {
            world = Files.exists(file) ? WorldFile.read(file) : new World();
        } catch (IOException | WorldFile.WorldFileException e) {
            throw new ProviderException("cannot read the embedded simulator's world " + file + ": " + e.getMessage()
                    + ". Delete it to start from a fresh world (the state file then no longer matches it).", e);
        }
        EmbeddedWorld.seed(world, bindings);
        seededRevision = world.revision();
        String embeddedToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try {
            simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of(embeddedToken)), 0);
        } catch (IOException e) {
            throw new ProviderException("cannot start the embedded simulator on loopback: " + e.getMessage(), e);
        }
        String project = manifest.provider().projectId() != null ? manifest.provider().projectId() : EMBEDDED_PROJECT;
        Endpoint endpoint = new Endpoint(simulator.baseUrl(), project, manifest.provider().service());
        return new GatewayClient(GatewayClient.httpClient(new TokenAuth(embeddedToken), userAgent, parallelism,
                timeouts), endpoint);
    }

    private GatewayClient connectRemote() throws ProviderException {
        Provider p = manifest.provider();
        String useToken = token != null ? token : environment.get(TOKEN_VARIABLE);
        if (useToken == null || useToken.isBlank()) {
            throw new ProviderException("no credentials for " + describe() + ": pass --token TOKEN or set "
                    + TOKEN_VARIABLE + " (an IAM token, sent as X-Auth-Token).");
        }
        String project = p.projectId();
        if (project == null) {
            project = firstSet("HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID");
        }
        if (project == null) {
            throw new ProviderException("no project id: set provider.project_id in the manifest, or"
                    + " HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID in the environment.");
        }
        String base = p.endpoint() != null ? stripSlash(p.endpoint()) : Endpoint.defaultBaseUrl(p.service(), p.region());
        return new GatewayClient(GatewayClient.httpClient(new TokenAuth(useToken), userAgent, parallelism,
                timeouts), new Endpoint(base, project, p.service()));
    }

    private String firstSet(String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() throws ProviderException {
        if (simulator == null) {
            return;
        }
        try {
            if (simulator.world().revision() != seededRevision) {
                WorldFile.write(simulator.world(), worldFile(manifest.statePath()));
            }
        } catch (IOException e) {
            throw new ProviderException("cannot save the embedded simulator's world: " + e.getMessage(), e);
        } finally {
            simulator.close();
            simulator = null;
        }
    }
}
