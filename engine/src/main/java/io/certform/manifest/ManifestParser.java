package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.Environment;
import io.certform.base.LibraryText;
import io.certform.base.Service;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Parses {@code certform.yaml} into a {@link Manifest}, collecting every problem as a diagnostic with its
 * position. A manifest with errors yields no {@link Manifest}, but what could be read of it is kept
 * ({@link Result#read()}), so that its certificates can still be checked and every problem shown in one run.
 */
public final class ManifestParser {

    /**
     * The outcome: every diagnostic, and what could be read of the manifest.
     *
     * @param read the manifest as far as it could be read: entries with errors left out or incomplete (a
     *             certificate whose file is missing has no {@code cert_content}); null when the file is not a
     *             YAML mapping at all
     */
    public record Result(Manifest read, Diagnostics diagnostics) {
        public boolean ok() {
            return read != null && !diagnostics.hasErrors();
        }

        /** The manifest when it has no error, else null: nothing may be planned from a manifest with errors. */
        public Manifest manifest() {
            return ok() ? read : null;
        }
    }

    /** The API's rule for certificate names. */
    public static final Pattern CERTIFICATE_NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_]{3,49}$");
    // Certificate keys (^[A-Za-z_][A-Za-z0-9_-]{0,63}$) and domain names are checked by NameRules, without a regex.
        /** Generous for a manifest of tens of thousands of bindings; small enough to stop a runaway file. */
    private static final int MAX_CODE_POINTS = 64 * 1024 * 1024;
    private static final int MAX_ALIASES = 50;

    private static final Set<String> TOP_KEYS = ordered("version", "provider", "state", "defaults", "certificates",
            "rollout");
    private static final Set<String> PROVIDER_KEYS = ordered("service", "endpoint", "region", "project_id", "world",
            "attach_chunk");
    private static final Set<String> DEFAULT_KEYS = ordered("instance_id", "group_id", "type", "expiry_warning_days",
            "min_days_remaining");
    private static final Set<String> CERTIFICATE_KEYS = ordered("name", "cert_content", "private_key",
            "private_key_passphrase", "trusted_root_ca", "type", "instance_id", "group_id", "expiry_warning_days",
            "min_days_remaining", "lifecycle", "domains", "algorithm_type", "cert_content_sign", "private_key_sign", "mode",
            "previous");
    private static final Set<String> LIFECYCLE_KEYS = ordered("prevent_destroy");
    private static final int DEFAULT_EXPIRY_WARNING_DAYS = 30;
    private static final int DEFAULT_MIN_DAYS_REMAINING = 7;
    private static final Set<String> BINDING_KEYS = ordered("group_id", "domain_id", "domain", "instance_id", "match");
    private static final Set<String> STATE_KEYS = ordered("backend", "path", "url", "workspace", "schema", "lease");

    private final Environment environment;

    public ManifestParser(Environment environment) {
        this.environment = environment;
    }

    /**
     * @param file        the manifest
     * @param displayName how to name the file in diagnostics (as the user gave it)
     */
    public Result parse(Path file, String displayName) {
        Diagnostics diagnostics = new Diagnostics();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            diagnostics.error(SourceRange.ofFile(displayName), "cannot read the manifest: "
                    + (Files.exists(file) ? e.getClass().getSimpleName() : "no such file"),
                    "Run certform in the folder of certform.yaml, or name it with -f FILE.");
            return new Result(null, diagnostics);
        }
        Optional<YamlNode> root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(displayName)
                    .setMaxAliasesForCollections(MAX_ALIASES).setAllowRecursiveKeys(false)
                    .setCodePointLimit(MAX_CODE_POINTS).setUseMarks(true).build();
            root = YamlComposer.compose(text, settings);
        } catch (MarkedYamlEngineException e) {
            YamlSyntax.Explained explained = YamlSyntax.explain(e, displayName, text);
            diagnostics.error(explained.at(), explained.summary(), explained.detail());
            return new Result(null, diagnostics);
        } catch (YamlEngineException e) {
            String message = LibraryText.clause(e);
            String detail = message.contains("aliases") || message.contains("limit")
                    ? "The file uses too many YAML aliases or is too large; certform refuses it to stay safe"
                    + " from alias-expansion ('billion laughs') attacks. Write the values out."
                    : "";
            diagnostics.error(SourceRange.ofFile(displayName), "cannot read the manifest as YAML: " + message,
                    detail);
            return new Result(null, diagnostics);
        }
        if (root.isEmpty()) {
            diagnostics.error(SourceRange.ofFile(displayName), "the manifest is empty",
                    "Start from examples/quickstart/certform.yaml.");
            return new Result(null, diagnostics);
        }
        Path baseDir = file.toAbsolutePath().getParent();
        Walker walker = new Walker(new YamlTree(displayName, diagnostics),
                new References(baseDir, environment, diagnostics), diagnostics);
        return new Result(walker.manifest(root.get(), file, baseDir), diagnostics);
    }

    /** Inherited values: manifest defaults, then a certificate's own. */
    private record Inherited(String instanceId, String groupId, String type, int expiryWarningDays,
                             int minDaysRemaining) {
        Inherited over(String instance, String group, String t, Integer warning, Integer minimum) {
            return new Inherited(instance != null ? instance : instanceId, group != null ? group : groupId,
                    t != null ? t : type, warning != null ? warning : expiryWarningDays,
                    minimum != null ? minimum : minDaysRemaining);
        }
    }

    /** How messages name a certificate's domains and their fields: made once per certificate, not per domain. */
    private record BindingLabels(String certificateKey, String where, String instanceId, String groupId,
                                 String domainId, String domain) {
        BindingLabels(String certificateKey) {
            this(certificateKey, "a domain of certificate '" + certificateKey + "'");
        }

        private BindingLabels(String certificateKey, String where) {
            this(certificateKey, where, where + " instance_id", where + " group_id", where + " domain_id",
                    where + " domain");
        }
    }

    /** Where a domain was first bound, to report a second binding of it. */
    private record FirstBinding(String certificate, SourceRange range) {
    }

    /**
     * A domain of a group, by its id or by its name: the key that finds a second binding of it. (Ids and domain
     * names hold no '/', so this is the same key as the text instance/group/id:ID or instance/group/name:NAME.)
     */
    private record BoundDomain(String instanceId, String groupId, boolean byName, String domain) {
        // Written out: a record's generated equals and hashCode go through method handles, slow without C2.
        @Override
        public boolean equals(Object o) {
            return o instanceof BoundDomain b && byName == b.byName && domain.equals(b.domain)
                    && groupId.equals(b.groupId) && instanceId.equals(b.instanceId);
        }

        @Override
        public int hashCode() {
            return ((instanceId.hashCode() * 31 + groupId.hashCode()) * 31 + domain.hashCode()) * 2 + (byName ? 1 : 0);
        }
    }

    private static final class Walker {
        private final YamlTree tree;
        private final Diagnostics diagnostics;
        private Map<BoundDomain, FirstBinding> boundDomains = new HashMap<>();
        /**
         * The current certificate's domains (names, else ids) by where they were declared: an address is
         * KEY[DOMAIN], and certificate keys are distinct, so a repeated address is a domain repeated within one
         * certificate.
         */
        private Map<String, FirstBinding> addresses = new HashMap<>();
        private final ValueReader values;
        private final RolloutReader rollouts;

        Walker(YamlTree tree, References references, Diagnostics diagnostics) {
            this.tree = tree;
            this.diagnostics = diagnostics;
            this.values = new ValueReader(tree, references, diagnostics);
            this.rollouts = new RolloutReader(tree, values, diagnostics);
        }

        Manifest manifest(YamlNode root, Path file, Path baseDir) {
            Map<String, YamlTree.Entry> top = tree.mapping(root, "the manifest", java.util.Collections.unmodifiableSet(TOP_KEYS));
            if (top == null) {
                return null;
            }
            version(top.get("version"), tree.at(root));
            Provider provider = provider(top.get("provider"), tree.at(root), baseDir);
            StateSettings stateSettings = state(top.get("state"), baseDir);
            Path statePath = stateSettings.path();
            Inherited defaults = new Inherited(null, null, "global", DEFAULT_EXPIRY_WARNING_DAYS,
                    DEFAULT_MIN_DAYS_REMAINING);
            if (top.containsKey("defaults")) {
                Map<String, YamlTree.Entry> d = tree.mapping(top.get("defaults").value(), "defaults", java.util.Collections.unmodifiableSet(DEFAULT_KEYS));
                if (d != null) {
                    defaults = defaults.over(values.id(d.get("instance_id"), "defaults.instance_id"),
                            values.id(d.get("group_id"), "defaults.group_id"), values.type(d.get("type"), "defaults.type"),
                            values.days(d.get("expiry_warning_days"), "defaults.expiry_warning_days"),
                            values.days(d.get("min_days_remaining"), "defaults.min_days_remaining"));
                }
            }
            List<CertificateSpec> certificates = new ArrayList<>();
            YamlTree.Entry certs = top.get("certificates");
            if (certs == null) {
                diagnostics.error(tree.at(root), "missing 'certificates'",
                        "List the certificates to bind under 'certificates:'.");
            } else {
                Map<String, YamlTree.Entry> entries = tree.mapping(certs.value(), "certificates", null);
                if (entries != null) {
                    int bindings = expectedBindings(entries);
                    boundDomains = new HashMap<>(bindings + bindings / 3 + 1);
                    for (YamlTree.Entry entry : entries.values()) {
                        CertificateSpec spec = certificate(entry, defaults);
                        if (spec != null) {
                            certificates.add(spec);
                        }
                    }
                }
            }
            RolloutSpec rollout = rollouts.rollout(top.get("rollout"));
            return new Manifest(file, provider, statePath, certificates, stateSettings, rollout);
        }

        /** How many domains the certificates list, as a size for the maps that hold them; 0 when unsure. */
        private static int expectedBindings(Map<String, YamlTree.Entry> certificates) {
            long n = 0;
            for (YamlTree.Entry entry : certificates.values()) {
                if (entry.value() instanceof YamlNode.Mapping c) {
                    for (int i = 0; i < c.size(); i++) {
                        if (c.key(i) instanceof YamlNode.Scalar k && k.value().equals("domains")
                                && c.value(i) instanceof YamlNode.Sequence items) {
                            n += items.items().size();
                            break;
                        }
                    }
                }
            }
            // Aliased lists count once per alias (the parser allows MAX_ALIASES of them): a sizing hint, capped so
            // that a manifest of aliases cannot make the first insert allocate more than a few megabytes.
            return (int) Math.min(n, 1 << 20);
        }

        /** {@code state}: a path, or a block naming the backend. */
        private StateSettings state(YamlTree.Entry entry, Path baseDir) {
            Path defaultPath = baseDir.resolve("certform.state.json");
            if (entry == null) {
                return StateSettings.local(defaultPath);
            }
            if (!(entry.value() instanceof YamlNode.Mapping)) {
                String path = values.string(entry.value(), "state");
                return StateSettings.local(path == null ? defaultPath : baseDir.resolve(path).normalize());
            }
            Map<String, YamlTree.Entry> s = tree.mapping(entry.value(), "state", STATE_KEYS);
            if (s == null) {
                return StateSettings.local(defaultPath);
            }
            StateSettings.Backend backend = StateSettings.Backend.LOCAL;
            if (s.containsKey("backend")) {
                String name = values.string(s.get("backend").value(), "state.backend");
                backend = name == null ? null : StateSettings.Backend.fromManifest(name);
                if (name != null && backend == null) {
                    diagnostics.error(tree.at(s.get("backend").value()), "unknown state.backend '" + name + "'",
                            "Use 'local' (the JSON file, the default) or 'postgres' (a shared state in PostgreSQL).");
                }
            }
            String path = s.containsKey("path") ? values.string(s.get("path").value(), "state.path") : null;
            Path statePath = path == null ? defaultPath : baseDir.resolve(path).normalize();
            if (backend != StateSettings.Backend.POSTGRES) {
                for (String key : List.of("url", "workspace", "schema", "lease")) {
                    if (backend != null && s.containsKey(key)) {
                        diagnostics.error(s.get(key).keyRange(), "state." + key + " is for the postgres backend",
                                "Add 'backend: postgres' to the state block, or remove '" + key + "'.");
                    }
                }
                return StateSettings.local(statePath);
            }
            String rawUrl = s.containsKey("url") ? tree.scalar(s.get("url").value(), "state.url") : null;
            // read once: an empty value is reported by the tree, and only once
            String url = rawUrl != null ? values.string(s.get("url").value(), "state.url") : null;
            if (rawUrl != null && !rawUrl.contains("${")
                    && !io.certform.base.PostgresNames.redact(rawUrl).equals(rawUrl)) {
                diagnostics.error(tree.at(s.get("url").value()), "state.url has a password written in the manifest",
                        "Reference it instead: url: ${env:CERTFORM_PG_URL}, or keep the password in PGPASSWORD.");
                url = null;
            }
            if (url != null && url.isBlank()) {
                diagnostics.error(tree.at(s.get("url").value()), "state.url is empty: '" + rawUrl + "' gave no text",
                        "Set the variable it names to jdbc:postgresql://host:5432/db (a CI secret that is not"
                                + " defined expands to an empty value), or remove 'url' to take CERTFORM_PG_URL or the"
                                + " PG* variables. Nothing was connected to.");
                url = null;
            }
            String workspace = checked(s.get("workspace"), "state.workspace",
                    io.certform.base.PostgresNames::workspaceProblem);
            String schema = checked(s.get("schema"), "state.schema", io.certform.base.PostgresNames::schemaProblem);
            java.time.Duration lease = null;
            if (s.containsKey("lease")) {
                String text = values.string(s.get("lease").value(), "state.lease");
                if (text != null) {
                    try {
                        lease = io.certform.base.Durations.parse(text);
                        if (lease.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
                            throw new IllegalArgumentException("a lease lasts at least 1s");
                        }
                    } catch (IllegalArgumentException e) {
                        diagnostics.error(tree.at(s.get("lease").value()), "state.lease '" + text
                                + "' is not a duration of 1s or more", "Write e.g. 60s or 5m (the default is 60s).");
                    }
                }
            }
            String urlProblem = null;
            if (rawUrl != null && !rawUrl.contains("${") && !rawUrl.isBlank() && url == null) {
                urlProblem = "state.url has a password written in the manifest";
            } else if (rawUrl != null && (url == null || url.isBlank())) {
                SourceRange at = tree.at(s.get("url").value());
                urlProblem = "state.url" + (at == null ? "" : " (" + at + ")") + " gives no URL: "
                        + (rawUrl.contains("${") ? io.certform.base.PostgresNames.redact(rawUrl.trim())
                        + " names a variable that is not set, or empty" : "it is empty");
            }
            return new StateSettings(backend, statePath, url == null || url.isBlank() ? null : url, workspace, schema,
                    lease, tree.at(entry.value()), urlProblem);
        }

        /** A name checked by {@code rule} (which returns the problem, or null); null when absent or wrong. */
        private String checked(YamlTree.Entry entry, String what, java.util.function.Function<String, String> rule) {
            if (entry == null) {
                return null;
            }
            String value = values.string(entry.value(), what);
            String problem = value == null ? null : rule.apply(value);
            if (problem != null) {
                diagnostics.error(tree.at(entry.value()), what + ": " + problem, "");
                return null;
            }
            return value;
        }

        private void version(YamlTree.Entry entry, SourceRange rootRange) {
            if (entry == null) {
                diagnostics.error(rootRange, "missing 'version'", "Add 'version: 1' at the top of the manifest.");
                return;
            }
            String v = tree.scalar(entry.value(), "version");
            v = ValueReader.wholeNumber(entry.value(), v); // 1.0 is the number 1, as for JSON Schema
            if (v != null && !v.equals("1")) {
                diagnostics.error(tree.at(entry.value()), "unsupported manifest version '" + v + "'",
                        "This certform reads version 1.");
            }
        }

        private Provider provider(YamlTree.Entry entry, SourceRange rootRange, Path baseDir) {
            if (entry == null) {
                diagnostics.error(rootRange, "missing 'provider'",
                        "Add a provider block; 'provider: { endpoint: embedded }' uses the local simulator.");
                return null;
            }
            Map<String, YamlTree.Entry> p = tree.mapping(entry.value(), "provider", java.util.Collections.unmodifiableSet(PROVIDER_KEYS));
            if (p == null) {
                return null;
            }
            Service service = Service.ROMA;
            if (p.containsKey("service")) {
                String name = values.string(p.get("service").value(), "provider.service");
                if (name != null) {
                    service = Service.fromManifest(name);
                    if (service == null) {
                        diagnostics.error(tree.at(p.get("service").value()),
                                "unknown provider.service '" + name + "'",
                                "Use 'roma' (ROMA Connect, paths /apic/) or 'apig' (API Gateway, paths /apigw/).");
                    }
                }
            }
            String endpoint = p.containsKey("endpoint") ? values.string(p.get("endpoint").value(), "provider.endpoint")
                    : null;
            if (endpoint != null && !endpoint.equals(Provider.EMBEDDED)) {
                checkEndpoint(endpoint, tree.at(p.get("endpoint").value()));
            }
            String region = p.containsKey("region") ? values.string(p.get("region").value(), "provider.region") : null;
            String project = p.containsKey("project_id") ? values.id(p.get("project_id"), "provider.project_id") : null;
            Path world = null;
            if (p.containsKey("world")) {
                String text = values.string(p.get("world").value(), "provider.world");
                SourceRange at = tree.at(p.get("world").value());
                if (text != null && !Provider.EMBEDDED.equals(endpoint)) {
                    diagnostics.error(at, "provider.world is for the embedded simulator",
                            "Set 'endpoint: embedded' to rehearse on a world file, or remove 'world'.");
                } else if (text != null) {
                    world = baseDir.resolve(text).normalize();
                    if (!java.nio.file.Files.isRegularFile(world)) {
                        diagnostics.error(at, "provider.world: no file " + world,
                                "Name a simulator world file (docs/simulator.md, 'World file'), relative to the"
                                        + " manifest's folder.");
                        world = null;
                    }
                }
            }
            int chunk = Provider.DEFAULT_ATTACH_CHUNK;
            if (p.containsKey("attach_chunk")) {
                String text = values.number(p.get("attach_chunk").value(), "provider.attach_chunk");
                Integer n = null;
                try {
                    n = text == null ? null : Integer.valueOf(text);
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (n != null && n >= 1 && n <= Provider.MAX_ATTACH_CHUNK) {
                    chunk = n;
                } else if (text != null) {
                    diagnostics.error(tree.at(p.get("attach_chunk").value()), "provider.attach_chunk '" + text
                                    + "' is not a number of domains from 1 to " + Provider.MAX_ATTACH_CHUNK,
                            "It is how many domains one attach or detach call of the shared model names (default "
                                    + Provider.DEFAULT_ATTACH_CHUNK + ").");
                }
            }
            return new Provider(service, endpoint, region, project, world, tree.at(entry.value()), chunk);
        }

        /** 127.x.x.x written in full: the only IPv4 loopback form the JSON Schema (and a reader) recognises. */
        private static final java.util.regex.Pattern LOOPBACK_V4 =
                java.util.regex.Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

        private void checkEndpoint(String endpoint, SourceRange at) {
            // A user name or password in the URL is never echoed: it may be a secret.
            String shown = endpoint.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1...@");
            try {
                URI uri = new URI(endpoint);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                String host = uri.getHost();
                boolean loopback = host != null && (host.equals("localhost") || LOOPBACK_V4.matcher(host).matches()
                        || host.equals("[::1]") || host.equals("::1"));
                if (!(scheme.equals("https") || scheme.equals("http"))) {
                    diagnostics.error(at, "provider.endpoint '" + shown + "' is not an https:// URL",
                            "Write https://host[:port], 'embedded', or leave it out to derive it from the region.");
                } else if (!shown.equals(endpoint)) {
                    diagnostics.error(at, "provider.endpoint '" + shown + "' carries a user name",
                            "certform signs each request with the access key and never sends a user name or password"
                                    + " in the URL (a password there would also be a secret in version control)."
                                    + " Remove the part before '@'.");
                } else if (host == null) {
                    String authority = uri.getRawAuthority();
                    String hint = authority != null && authority.startsWith("127.")
                            ? " Write the loopback address in full: 127.0.0.1, not " + authority.replaceFirst(":.*", "")
                            + "."
                            : "";
                    diagnostics.error(at, "provider.endpoint '" + shown + "' names no host certform can read"
                                    + (authority == null || authority.startsWith(":") ? "" : " ('" + authority + "')"),
                            "Write " + scheme + "://host[:port] with a host name, an IPv4 address of four numbers or"
                                    + " [an IPv6 address]." + hint);
                } else if (scheme.equals("http") && !loopback) {
                    diagnostics.error(at, "plain http:// is refused for " + host,
                            "Certificates and keys must travel over TLS; http:// is allowed only to loopback"
                                    + " (a local simulator: localhost, 127.0.0.1, [::1]).");
                }
            } catch (URISyntaxException e) {
                diagnostics.error(at, "provider.endpoint '" + shown + "' is not a valid URL",
                        LibraryText.sentence(e.getReason()) + " Write https://host[:port], or 'embedded'.");
            }
        }

        private CertificateSpec certificate(YamlTree.Entry entry, Inherited defaults) {
            String key = entry.key();
            String where = "certificate '" + key + "'";
            if (!NameRules.isKey(key)) {
                diagnostics.error(entry.keyRange(), "certificate key '" + key + "' is not a valid address part",
                        "Use letters, digits, '_' and '-', starting with a letter or '_'.");
            }
            Map<String, YamlTree.Entry> c = tree.mapping(entry.value(), where, CERTIFICATE_KEYS);
            if (c == null) {
                return null;
            }
            SourceRange range = tree.at(entry.value());
            String name = values.required(c, "name", where, range);
            if (name != null && !NameRules.isCertificateName(name)) {
                diagnostics.error(tree.at(c.get("name").value()), "invalid certificate name '" + name + "'",
                        "The API takes 4 to 50 characters: a letter first, then letters, digits or underscores"
                                + " (^[A-Za-z][A-Za-z0-9_]{3,49}$).");
            }
            SourceValue certContent = values.resolved(c, "cert_content", where, range, true);
            Secret privateKey = values.secret(c, "private_key", where, range, true);
            Secret passphrase = c.containsKey("private_key_passphrase")
                    ? values.secret(c, "private_key_passphrase", where, range, false) : null;
            if (passphrase == null && c.containsKey("private_key_passphrase")) {
                privateKey = null; // reported: without its passphrase the key cannot be read, so it is not checked
            }
            SourceValue trustedRootCa = c.containsKey("trusted_root_ca")
                    ? values.resolved(c, "trusted_root_ca", where, range, false) : null;
            Inherited inherited = defaults.over(values.id(c.get("instance_id"), where + " instance_id"),
                    values.id(c.get("group_id"), where + " group_id"), values.type(c.get("type"), where + " type"),
                    values.days(c.get("expiry_warning_days"), where + " expiry_warning_days"),
                    values.days(c.get("min_days_remaining"), where + " min_days_remaining"));
            if ("instance".equals(inherited.type()) && inherited.instanceId() == null) {
                diagnostics.error(range, where + " has type 'instance' but no instance_id",
                        "Set instance_id on the certificate or under defaults.");
            }
            boolean preventDestroy = false;
            if (c.containsKey("lifecycle")) {
                Map<String, YamlTree.Entry> lifecycle = tree.mapping(c.get("lifecycle").value(), where + " lifecycle",
                        LIFECYCLE_KEYS);
                if (lifecycle != null && lifecycle.containsKey("prevent_destroy")) {
                    String flag = values.string(lifecycle.get("prevent_destroy").value(), where + " prevent_destroy");
                    if ("true".equals(flag) || "false".equals(flag)) {
                        preventDestroy = flag.equals("true");
                    } else if (flag != null) {
                        diagnostics.error(tree.at(lifecycle.get("prevent_destroy").value()), where
                                + " prevent_destroy '" + flag + "' is not true or false", "Write true or false.");
                    }
                }
            }
            List<BindingSpec> bindings = new ArrayList<>();
            YamlTree.Entry domains = c.get("domains");
            if (domains == null) {
                diagnostics.error(range, where + " has no 'domains'",
                        "List the domains it belongs on, e.g. domains: [{ group_id: ..., domain: api.example.com }].");
            } else {
                List<YamlNode> items = tree.sequence(domains.value(), where + " domains");
                if (items != null && items.isEmpty()) {
                    diagnostics.error(tree.at(domains.value()), where + " has an empty 'domains' list",
                            "List at least one domain, or remove the certificate.");
                }
                if (items != null) {
                    BindingLabels labels = new BindingLabels(key);
                    addresses = new HashMap<>(Math.min(items.size(), 1 << 16) * 4 / 3 + 1);
                    for (YamlNode item : items) {
                        BindingSpec binding = binding(labels, item, inherited);
                        if (binding != null) {
                            bindings.add(binding);
                        }
                    }
                }
            }
            String mode = mode(c, where);
            String algorithmType = algorithmType(c, where);
            CertificateSpec.SignPair sign = signPair(c, where, range, algorithmType);
            return new CertificateSpec(key, name, certContent, privateKey, passphrase, trustedRootCa, inherited.type(),
                    inherited.instanceId(), inherited.expiryWarningDays(), inherited.minDaysRemaining(), preventDestroy,
                    bindings, range, algorithmType, sign, rollouts.previous(c, where), mode);
        }

        /**
         * {@code mode}: {@code per-domain} (the default, the seed call; read as null) or {@code shared} (the
         * certificate-management model: one certificate resource, attached to every domain).
         */
        private String mode(Map<String, YamlTree.Entry> c, String where) {
            if (!c.containsKey("mode")) {
                return null;
            }
            String mode = values.string(c.get("mode").value(), where + " mode");
            if (mode == null || mode.equals("per-domain")) {
                return null;
            }
            if (mode.equals("shared")) {
                return mode;
            }
            diagnostics.error(tree.at(c.get("mode").value()), where + " mode '" + mode + "' is not per-domain or shared",
                    "Write mode: per-domain (the default: one certificate per domain) or mode: shared (one certificate"
                            + " resource attached to every domain, rotated with one call).");
            return null;
        }

        /** {@code algorithm_type}: RSA, ECC or SM2 (any case), or null when absent. */
        private String algorithmType(Map<String, YamlTree.Entry> c, String where) {
            if (!c.containsKey("algorithm_type")) {
                return null;
            }
            String text = values.string(c.get("algorithm_type").value(), where + " algorithm_type");
            if (text == null) {
                return null;
            }
            String upper = text.toUpperCase(Locale.ROOT);
            if (!upper.equals("RSA") && !upper.equals("ECC") && !upper.equals("SM2")) {
                diagnostics.error(tree.at(c.get("algorithm_type").value()), where + " algorithm_type '" + text
                        + "' is not RSA, ECC or SM2", "Write the algorithm of the certificate's key, or leave it out.");
                return null;
            }
            return upper;
        }

        /** The SM2 signing pair: both {@code cert_content_sign} and {@code private_key_sign}, with SM2 declared. */
        private CertificateSpec.SignPair signPair(Map<String, YamlTree.Entry> c, String where, SourceRange range,
                                                  String algorithmType) {
            boolean content = c.containsKey("cert_content_sign");
            boolean key = c.containsKey("private_key_sign");
            if (!content && !key) {
                return null;
            }
            if (content != key) {
                diagnostics.error(range, where + " has " + (content ? "cert_content_sign without private_key_sign"
                        : "private_key_sign without cert_content_sign"), "An SM2 dual certificate needs both halves of"
                        + " its signing pair.");
                return null;
            }
            if (!"SM2".equals(algorithmType)) {
                diagnostics.error(tree.at(c.get("cert_content_sign").value()), where + " has a signing pair"
                        + " (cert_content_sign) but algorithm_type is not SM2", "Only SM2 dual certificates have a"
                        + " second pair: set algorithm_type: SM2, or remove cert_content_sign and private_key_sign.");
                return null;
            }
            SourceValue signContent = values.resolved(c, "cert_content_sign", where, range, true);
            Secret signKey = values.secret(c, "private_key_sign", where, range, true);
            return signContent == null || signKey == null ? null : new CertificateSpec.SignPair(signContent, signKey);
        }

        private BindingSpec binding(BindingLabels labels, YamlNode item, Inherited inherited) {
            String certificateKey = labels.certificateKey();
            String where = labels.where();
            Map<String, YamlTree.Entry> b = tree.mapping(item, where, BINDING_KEYS);
            if (b == null) {
                return null;
            }
            SourceRange range = tree.at(item);
            if (b.containsKey("match")) {
                return pattern(certificateKey, b, range, where, inherited);
            }
            String instanceId = values.id(b.get("instance_id"), labels.instanceId());
            if (instanceId == null) {
                instanceId = inherited.instanceId();
            }
            String groupId = values.id(b.get("group_id"), labels.groupId());
            if (groupId == null) {
                groupId = inherited.groupId();
            }
            String domainId = values.id(b.get("domain_id"), labels.domainId());
            String domain = null;
            if (b.containsKey("domain")) {
                domain = values.string(b.get("domain").value(), labels.domain());
                if (domain != null && !NameRules.isDomainName(domain)) {
                    diagnostics.error(tree.at(b.get("domain").value()), "'" + domain + "' is not a domain name",
                            "Write the custom domain as it is bound to the group, e.g. api.example.com.");
                    domain = null;
                }
                if (domain != null) {
                    domain = domain.toLowerCase(Locale.ROOT);
                }
            }
            boolean complete = true;
            if (instanceId == null) {
                diagnostics.error(range, where + " has no instance_id",
                        "Set instance_id on the domain, on the certificate, or under defaults.");
                complete = false;
            }
            if (groupId == null) {
                diagnostics.error(range, where + " has no group_id",
                        "Set group_id on the domain, on the certificate, or under defaults.");
                complete = false;
            }
            if (domainId == null && domain == null && !b.containsKey("domain")) {
                diagnostics.error(range, where + " names no domain", "Give domain_id, domain (its name), or both.");
                complete = false;
            }
            if (!complete || (domainId == null && domain == null)) {
                return null;
            }
            String addressed = domain != null ? domain : domainId;
            String address = certificateKey + "[" + addressed + "]";
            FirstBinding here = new FirstBinding(certificateKey, range);
            if (domainId != null) {
                duplicate(new BoundDomain(instanceId, groupId, false, domainId), here);
            }
            if (domain != null) {
                duplicate(new BoundDomain(instanceId, groupId, true, domain), here);
            }
            FirstBinding sameAddress = addresses.putIfAbsent(addressed, here);
            if (sameAddress != null) {
                diagnostics.error(range, "address " + address + " is declared twice",
                        "The first is at " + sameAddress.range() + ". Each domain of a certificate must be distinct.");
            }
            return new BindingSpec(address, instanceId, groupId, domainId, domain, range);
        }

        /**
         * A {@code match:} entry: its pattern and where to look (its own group_id, else every group of the
         * instance). Overlaps with other entries are found once the pattern is resolved, at plan time.
         */
        private BindingSpec pattern(String certificateKey, Map<String, YamlTree.Entry> b, SourceRange range,
                                    String where, Inherited inherited) {
            String text = values.string(b.get("match").value(), where + " match");
            if (b.containsKey("domain") || b.containsKey("domain_id")) {
                diagnostics.error(range, where + " gives both match and " + (b.containsKey("domain") ? "domain"
                        : "domain_id"), "An entry selects domains by pattern (match) or names one domain: split it"
                        + " into two entries.");
                return null;
            }
            String instanceId = Optional.ofNullable(values.id(b.get("instance_id"), where + " instance_id"))
                    .orElse(inherited.instanceId());
            String groupId = values.id(b.get("group_id"), where + " group_id");
            if (instanceId == null) {
                diagnostics.error(range, where + " has no instance_id",
                        "Set instance_id on the domain, on the certificate, or under defaults.");
                return null;
            }
            if (text == null) {
                return null;
            }
            io.certform.base.NamePattern.Result parsed = io.certform.base.NamePattern.parse(text);
            if (parsed.pattern() == null) {
                diagnostics.error(tree.at(b.get("match").value()), "'" + text + "' is not a domain pattern: "
                        + parsed.problem(), "Write e.g. match: \"*.example.com\" ('*' one label, '**' one or more).");
                return null;
            }
            String pattern = parsed.pattern().text();
            return new BindingSpec(certificateKey + "[" + pattern + "]", instanceId, groupId, null, null, range,
                    pattern);
        }

        private void duplicate(BoundDomain key, FirstBinding here) {
            FirstBinding first = boundDomains.putIfAbsent(key, here);
            if (first != null) {
                diagnostics.error(here.range(), "domain " + key.domain() + " is bound twice",
                        "It is also bound by certificate '" + first.certificate() + "' at " + first.range()
                                + ". A domain carries one certificate: remove one of the bindings.");
            }
        }

    }

    /**
     * Every key the parser accepts, by where it may appear: {@code ""} the top level, {@code "provider"},
     * {@code "certificates.*"} a certificate, {@code "certificates.*.domains[]"} a domain of it, and so on. The one
     * list that schemas/certform.schema.json is checked against: a key added to the parser is registered here.
     */
    public static final Map<String, Set<String>> ACCEPTED_KEYS = Map.of(
            "", java.util.Collections.unmodifiableSet(TOP_KEYS),
            "provider", java.util.Collections.unmodifiableSet(PROVIDER_KEYS),
            "defaults", java.util.Collections.unmodifiableSet(DEFAULT_KEYS),
            "certificates.*", java.util.Collections.unmodifiableSet(CERTIFICATE_KEYS),
            "certificates.*.lifecycle", java.util.Collections.unmodifiableSet(LIFECYCLE_KEYS),
            "certificates.*.domains[]", java.util.Collections.unmodifiableSet(BINDING_KEYS),
            "state", java.util.Collections.unmodifiableSet(STATE_KEYS),
            "rollout", RolloutReader.ROLLOUT_KEYS,
            "rollout.probe", RolloutReader.PROBE_KEYS,
            "certificates.*.previous", RolloutReader.PREVIOUS_KEYS);

    private static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
