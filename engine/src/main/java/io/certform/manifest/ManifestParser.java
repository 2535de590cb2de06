package io.certform.manifest;

import io.certform.base.Environment;
import io.certform.base.LibraryText;

import io.certform.diag.Diagnostics;
import io.certform.base.SourceRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    private static final Set<String> TOP_KEYS = SectionReader.ordered("version", "provider", "providers", "state", "defaults",
            "certificates", "rollout", "keystore");

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
            // The common shape without snakeyaml's general scanner (the same tree); anything else, errors included,
            // is read by snakeyaml.
            YamlNode plain = PlainYaml.read(text, settings.getSchema().getScalarResolver(), MAX_CODE_POINTS);
            root = plain != null ? Optional.of(plain) : YamlComposer.compose(text, settings);
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

    /** Reads the top level, and each section with its reader; all of them share one context. */
    private static final class Walker extends SectionReader {
        private final ProviderReader provider;
        private final StateReader state;
        private final CertificateReader certificates;
        private final RolloutReader rollouts;
        private final ProviderChoice choice;
        private final AcmeReader acme;

        Walker(YamlTree tree, References references, Diagnostics diagnostics) {
            super(tree, new ValueReader(tree, references, diagnostics), diagnostics);
            this.provider = new ProviderReader(this);
            this.state = new StateReader(this);
            this.rollouts = new RolloutReader(this);
            this.choice = new ProviderChoice(this);
            this.acme = new AcmeReader(this);
            this.certificates = new CertificateReader(this, rollouts, choice, acme);
        }

        Manifest manifest(YamlNode root, Path file, Path baseDir) {
            Map<String, YamlTree.Entry> top = tree.mapping(root, "the manifest", java.util.Collections.unmodifiableSet(TOP_KEYS));
            if (top == null) {
                return null;
            }
            provider.version(top.get("version"), tree.at(root));
            List<Provider> providers = this.provider.providers(top.get("provider"), top.get("providers"),
                    tree.at(root), baseDir);
            choice.declared(providers);
            StateSettings stateSettings = state.state(top.get("state"), baseDir);
            Path statePath = stateSettings.path();
            Inherited defaults = certificates.defaults(top.get("defaults"));
            List<CertificateSpec> certificates = this.certificates.certificates(top.get("certificates"), tree.at(root),
                    defaults);
            RolloutSpec rollout = rollouts.rollout(top.get("rollout"),
                    providers.stream().map(Provider::name).toList());
            KeystoreSpec keystore = acme.keystore(top.get("keystore"));
            if (!top.containsKey("keystore")) {
                certificates.stream().filter(CertificateSpec::issued).findFirst().ifPresent(c -> diagnostics.error(
                        c.acme().range(), "certificate '" + c.key() + "' is issued by ACME, but the manifest has no"
                                + " keystore block", "The issued keys are kept encrypted in the key store: add"
                                + " keystore: { password: ${env:CERTFORM_KEYSTORE_PASSWORD} } at the top level."));
            }
            return new Manifest(file, runProvider(providers, certificates), statePath, certificates, stateSettings,
                    rollout, providers, keystore);
        }

        /**
         * The provider a run against one gateway uses: the one the bindings use when they use one, else the first
         * declared (the default when there is one); null when none could be read.
         */
        private static Provider runProvider(List<Provider> providers, List<CertificateSpec> certificates) {
            if (providers.isEmpty()) {
                return null;
            }
            // the provider the bindings use comes first: a binding of eu goes to eu's gateway, default declared or not
            java.util.Set<String> used = new java.util.HashSet<>();
            certificates.forEach(c -> c.bindings().forEach(b -> used.add(b.provider())));
            return providers.stream().filter(p -> used.size() == 1 && used.contains(p.name())).findFirst()
                    .orElse(providers.get(0));
        }
    }

    /**
     * Every key the parser accepts, by where it may appear: {@code ""} the top level, {@code "provider"},
     * {@code "certificates.*"} a certificate, {@code "certificates.*.domains[]"} a domain of it, and so on. The one
     * list that schemas/certform.schema.json is checked against: a key added to the parser is registered here.
     */
    public static final Map<String, Set<String>> ACCEPTED_KEYS = AcmeReader.withAcmeKeys(Map.ofEntries(
            Map.entry("", java.util.Collections.unmodifiableSet(TOP_KEYS)),
            Map.entry("provider", java.util.Collections.unmodifiableSet(ProviderReader.PROVIDER_KEYS)),
            Map.entry("provider.credentials", java.util.Collections.unmodifiableSet(ProviderSettingsReader.CREDENTIAL_KEYS)),
            Map.entry("providers.*", java.util.Collections.unmodifiableSet(ProviderReader.PROVIDER_KEYS)),
            Map.entry("providers.*.credentials", java.util.Collections.unmodifiableSet(ProviderSettingsReader.CREDENTIAL_KEYS)),
            Map.entry("defaults", java.util.Collections.unmodifiableSet(CertificateReader.DEFAULT_KEYS)),
            Map.entry("certificates.*", java.util.Collections.unmodifiableSet(CertificateReader.CERTIFICATE_KEYS)),
            Map.entry("certificates.*.lifecycle", java.util.Collections.unmodifiableSet(CertificateReader.LIFECYCLE_KEYS)),
            Map.entry("certificates.*.domains[]", java.util.Collections.unmodifiableSet(BindingReader.BINDING_KEYS)),
            Map.entry("state", java.util.Collections.unmodifiableSet(StateReader.STATE_KEYS)),
            Map.entry("rollout", RolloutReader.ROLLOUT_KEYS),
            Map.entry("rollout.probe", RolloutReader.PROBE_KEYS),
            Map.entry("certificates.*.previous", RolloutReader.PREVIOUS_KEYS)));
}
