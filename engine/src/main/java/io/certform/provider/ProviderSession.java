package io.certform.provider;

import io.certform.api.AkSkSigner;
import io.certform.api.Endpoint;
import io.certform.api.IamTokenAuth;
import io.certform.api.GatewayClient;
import io.certform.api.Transport;
import io.certform.api.TokenAuth;
import io.certform.base.Environment;
import io.certform.base.LibraryText;
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
import java.time.Clock;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

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
    private final Provider provider;
    private final List<DesiredBinding> bindings;
    private final String token;
    private final Environment environment;
    private final Transport transport;
    private final Clock clock;
    private Simulator simulator;
    private long seededRevision;
    private GatewayClient client;

    /**
     * @param token from {@code --token}, or null to look in the environment and the credentials file
     */
    public ProviderSession(Manifest manifest, List<DesiredBinding> bindings, String token, Environment environment,
                           Transport transport, Clock clock) {
        this(manifest, manifest.provider(), bindings, token, environment, transport, clock);
    }

    /**
     * A session for one of the manifest's providers: its endpoint, project and credentials (its {@code credentials}
     * block first, else the conventional sources). The HTTP log names it when the manifest has several.
     */
    public ProviderSession(Manifest manifest, Provider provider, List<DesiredBinding> bindings, String token,
                           Environment environment, Transport transport, Clock clock) {
        this.manifest = manifest;
        this.provider = provider;
        this.bindings = List.copyOf(bindings);
        this.token = token;
        this.environment = environment;
        this.transport = manifest.providers().size() > 1 ? transport.labelled(provider.name()) : transport;
        this.clock = clock;
    }

    /** The provider this session works for. */
    public Provider provider() {
        return provider;
    }


    /** Where the default provider's embedded simulator keeps its world: beside the state, under {@code .certform/}. */
    public static Path worldFile(Path statePath) {
        return worldFile(statePath, Provider.DEFAULT);
    }

    /**
     * Where provider {@code name}'s embedded simulator keeps its world: {@code STATE.world.json} for the default
     * provider (as ever), {@code STATE.world-NAME.json} for another.
     */
    public static Path worldFile(Path statePath, String name) {
        Path folder = statePath.toAbsolutePath().getParent();
        String suffix = name == null || Provider.DEFAULT.equals(name) ? ".world.json" : ".world-" + name + ".json";
        return folder.resolve(".certform").resolve(statePath.getFileName() + suffix);
    }

    public synchronized GatewayClient client() throws ProviderException {
        if (client == null) {
            client = provider.embedded() ? startEmbedded() : connectRemote();
        }
        return client;
    }

    /**
     * Huawei Cloud DNS with this provider's credentials (dns-01 challenges): at {@code override}
     * ({@code challenge.endpoint}) when given, else at the provider's endpoint (a simulator serves both APIs, the
     * embedded one included), else at the region's DNS endpoint.
     */
    public io.certform.dns.HuaweiDnsClient dns(String override) throws ProviderException {
        GatewayClient gateway = client();
        String base = override != null ? io.certform.dns.HuaweiDnsClient.endpoint(null, override)
                : provider.embedded() || provider.endpoint() != null ? gateway.endpoint().baseUrl()
                : io.certform.dns.HuaweiDnsClient.endpoint(region(), null);
        return new io.certform.dns.HuaweiDnsClient(gateway.http(), base);
    }

    /** Where calls go, for messages. */
    public String describe() {
        if (provider.embedded()) {
            return "the embedded simulator" + (simulator == null ? "" : " at " + simulator.baseUrl());
        }
        try {
            return baseUrl();
        } catch (ProviderException e) {
            return "(no endpoint)";
        }
    }

    /**
     * The gateway this session talks to, as a state records it: the service, the endpoint ({@code embedded}, or the
     * base URL) and the project. Null when the endpoint or the project is not known yet (the call that needs them
     * says so). Needs no credentials and starts nothing.
     */
    public io.certform.state.Gateway gateway() {
        Provider p = provider;
        String service = p.service().manifestName();
        if (p.embedded()) {
            return new io.certform.state.Gateway(service, io.certform.state.Gateway.EMBEDDED,
                    p.projectId() != null ? p.projectId() : EMBEDDED_PROJECT);
        }
        try {
            String project = project(CredentialSources.readCredentialsFile(environment)).id();
            return new io.certform.state.Gateway(service, baseUrl(), project);
        } catch (ProviderException | RuntimeException e) {
            return null;
        }
    }

    /** Which credentials a run would use and where they come from; never the secret. */
    public String describeCredentials() throws ProviderException {
        if (provider.embedded()) {
            return "none needed (the embedded simulator makes its own token)";
        }
        CredentialSources.CredentialsFile file = CredentialSources.readCredentialsFile(environment);
        Credentials credentials = CredentialSources.find(provider, token, environment, file);
        if (credentials instanceof Credentials.Password) {
            IamEndpoint iam = iamEndpoint(file);
            return credentials.source() + ", exchanged for a token at " + iam.tokensUrl() + " (" + iam.source() + ")";
        }
        return credentials.source();
    }

    /** A project id and the setting it came from (for messages: the id is not a secret). */
    public record Project(String id, String source) {
    }

    /**
     * The project the calls name: provider.project_id, else HUAWEICLOUD_SDK_PROJECT_ID, HW_PROJECT_ID, the credentials
     * file's project_id; the embedded simulator takes any (its own when none is set).
     */
    public Project project(CredentialSources.CredentialsFile file) throws ProviderException {
        String declared = provider.projectId();
        if (declared != null && !declared.isBlank()) {
            return new Project(declared, provider.where() + ".project_id");
        }
        if (provider.embedded()) {
            return new Project(EMBEDDED_PROJECT, "the embedded simulator's own");
        }
        for (String variable : List.of("HUAWEICLOUD_SDK_PROJECT_ID", "HW_PROJECT_ID")) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return new Project(value, variable);
            }
        }
        if (file.get("project_id") != null) {
            return new Project(file.get("project_id"), "project_id in " + file.path());
        }
        throw new ProviderException("no project id: set " + provider.where() + ".project_id in the manifest, HUAWEICLOUD_SDK_PROJECT_ID"
                + " or HW_PROJECT_ID in the environment, or project_id in " + file.path() + ".");
    }

    /**
     * What a run would use, checked as far as it can be without a connection: the endpoint, the project, the
     * credentials (the IAM endpoint too, for a password). Every problem that would stop the first call is listed,
     * not only the first. Starts nothing and sends nothing.
     *
     * @param endpoint    where calls go, or null when it cannot be told
     * @param project     the project, or null
     * @param credentials which credentials and where from (never the secret), or null
     * @param problems    what would stop the run before its first call
     */
    public record Preflight(String endpoint, Project project, String credentials, List<String> problems) {
        public Preflight {
            problems = List.copyOf(problems);
        }
    }

    /** {@link Preflight}: the checks {@link #client()} makes before it connects, made without connecting. */
    public Preflight preflight() {
        List<String> problems = new java.util.ArrayList<>();
        String endpoint = null;
        if (provider.embedded()) {
            endpoint = describe();
        } else {
            try {
                endpoint = baseUrl();
            } catch (ProviderException e) {
                problems.add(e.getMessage());
            }
        }
        CredentialSources.CredentialsFile file;
        try {
            file = CredentialSources.readCredentialsFile(environment);
        } catch (ProviderException e) {
            problems.add(e.getMessage());
            return new Preflight(endpoint, null, null, problems);
        }
        Project project = null;
        try {
            project = project(file);
        } catch (ProviderException e) {
            problems.add(e.getMessage());
        }
        String credentials = null;
        try {
            credentials = describeCredentials();
            if (!provider.embedded()
                    && CredentialSources.find(provider, token, environment, file) instanceof Credentials.None none) {
                problems.add(none.source() + ".");
                credentials = null;
            }
        } catch (ProviderException e) {
            problems.add(e.getMessage());
        }
        return new Preflight(endpoint, project, credentials, problems);
    }

    /** The gateway's base URL: provider.endpoint, else derived from the region (provider.region or HW_REGION_NAME). */
    public String baseUrl() throws ProviderException {
        Provider p = provider;
        if (p.endpoint() != null) {
            return stripSlash(p.endpoint());
        }
        return Endpoint.defaultBaseUrl(p.service(), region());
    }

    private String region() throws ProviderException {
        String region = provider.region() != null ? provider.region() : environment.get("HW_REGION_NAME");
        if (region == null || region.isBlank()) {
            throw new ProviderException("no endpoint: set " + provider.where() + ".region (or HW_REGION_NAME) to derive it, or "
                    + provider.where() + ".endpoint to name it (or 'endpoint: embedded' for the local simulator).");
        }
        return region;
    }

    private GatewayClient startEmbedded() throws ProviderException {
        Path file = worldFile(manifest.statePath(), provider.name());
        World world;
        try {
            world = Files.exists(file) ? WorldFile.read(file) : new World();
        } catch (IOException | WorldFile.WorldFileException e) {
            throw new ProviderException("cannot read the embedded simulator's world " + file + ": "
                    + LibraryText.clause(e) + ". Delete it to start from a fresh world (the state file then no longer matches it).", e);
        }
        Path start = provider.world();
        if (!Files.exists(file) && start != null) {
            try {
                world = WorldFile.read(start);
            } catch (IOException | WorldFile.WorldFileException e) {
                throw new ProviderException("cannot read " + provider.where() + ".world " + start + ": " + LibraryText.clause(e)
                        + ". Fix the file (docs/simulator.md, 'World file') and run again.", e);
            }
        }
        EmbeddedWorld.seed(world, bindings);
        EmbeddedWorld.seedPatternScopes(world, manifest.bindings().stream()
                .filter(b -> b.provider().equals(provider.name())).toList());
        seededRevision = world.revision();
        String embeddedToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        try {
            simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of(embeddedToken)), 0);
        } catch (IOException e) {
            throw new ProviderException("cannot start the embedded simulator on loopback: " + LibraryText.clause(e)
                    + ".", e);
        }
        String project = provider.projectId() != null ? provider.projectId() : EMBEDDED_PROJECT;
        Endpoint endpoint = new Endpoint(simulator.baseUrl(), project, provider.service());
        return new GatewayClient(http(new TokenAuth(embeddedToken)), endpoint);
    }

    private GatewayClient connectRemote() throws ProviderException {
        String base = baseUrl();
        CredentialSources.CredentialsFile file = CredentialSources.readCredentialsFile(environment);
        String project = project(file).id();
        Credentials credentials = CredentialSources.find(provider, token, environment, file);
        Interceptor auth;
        if (credentials instanceof Credentials.Token t) {
            auth = new TokenAuth(t.token().reveal());
        } else if (credentials instanceof Credentials.AkSk k) {
            auth = new AkSkSigner(k.accessKey(), k.secretKey(), k.securityToken(), null, clock);
        } else if (credentials instanceof Credentials.Password p) {
            boolean regionKnown = provider.region() != null || environment.get("HW_REGION_NAME") != null;
            auth = new IamTokenAuth(plainHttp(), iamEndpoint(file).tokensUrl(), p.domain(), p.user(), p.password(),
                    regionKnown ? region() : null, project);
        } else {
            throw new ProviderException(credentials.source() + " (for " + base + ").");
        }
        return new GatewayClient(http(auth), new Endpoint(base, project, provider.service()));
    }

    /** Where IAM password credentials are exchanged for a token, and which setting said so. */
    private record IamEndpoint(HttpUrl tokensUrl, String source) {
    }

    /**
     * IAM's token URL: HW_AUTH_URL, else the credentials file's iam_endpoint, else derived from the region. The
     * gateway's provider.endpoint says nothing of IAM, so with it alone the IAM endpoint is missing.
     */
    private IamEndpoint iamEndpoint(CredentialSources.CredentialsFile file) throws ProviderException {
        String authUrl = environment.get("HW_AUTH_URL");
        String url;
        String source;
        if (authUrl != null && !authUrl.isBlank()) {
            url = stripSlash(authUrl) + (stripSlash(authUrl).endsWith("/v3") ? "" : "/v3") + "/auth/tokens";
            source = "from HW_AUTH_URL";
        } else if (file.get("iam_endpoint") != null) {
            url = stripSlash(file.get("iam_endpoint")) + "/v3/auth/tokens";
            source = "from iam_endpoint in " + file.path();
        } else {
            String region = provider.region() != null ? provider.region()
                    : environment.get("HW_REGION_NAME");
            if (region == null || region.isBlank()) {
                throw new ProviderException("no IAM endpoint to exchange the password for a token: set HW_AUTH_URL"
                        + " (e.g. https://iam.ap-southeast-1.myhuaweicloud.com/v3), or provider.region (or"
                        + " HW_REGION_NAME) to derive it; provider.endpoint names the gateway, not IAM.");
            }
            url = "https://iam." + region + ".myhuaweicloud.com/v3/auth/tokens";
            source = "derived from " + (provider.region() != null ? provider.where() + ".region" : "HW_REGION_NAME");
        }
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new ProviderException("the IAM endpoint '" + url + "' is not a URL (check HW_AUTH_URL).");
        }
        boolean loopback = parsed.host().equals("localhost") || parsed.host().startsWith("127.") || parsed.host().equals("::1");
        if (!parsed.isHttps() && !loopback) {
            throw new ProviderException("plain http:// is refused for the IAM endpoint " + parsed.host()
                    + ": passwords travel over TLS only (http is allowed to loopback, for the simulator).");
        }
        return new IamEndpoint(parsed, source);
    }

    private OkHttpClient http(Interceptor auth) throws ProviderException {
        try {
            return transport.client(auth);
        } catch (IOException e) {
            throw new ProviderException("cannot set up HTTPS: " + LibraryText.clause(e) + ".", e);
        }
    }

    private OkHttpClient plainHttp() throws ProviderException {
        try {
            return transport.plainClient();
        } catch (IOException e) {
            throw new ProviderException("cannot set up HTTPS: " + LibraryText.clause(e) + ".", e);
        }
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
                WorldFile.write(simulator.world(), worldFile(manifest.statePath(), provider.name()));
            }
        } catch (IOException e) {
            throw new ProviderException("cannot save the embedded simulator's world: " + LibraryText.clause(e) + ".",
                    e);
        } finally {
            simulator.close();
            simulator = null;
        }
    }
}
