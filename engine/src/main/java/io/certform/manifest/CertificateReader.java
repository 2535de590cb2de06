package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.SourceRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code defaults:} and {@code certificates:}: each certificate's name, content, keys, lifecycle, model and
 * SM2 signing pair, with the values it inherits; its {@code domains} are read by the {@link BindingReader}.
 */
final class CertificateReader extends SectionReader {

    static final Set<String> DEFAULT_KEYS = ordered("instance_id", "group_id", "type", "expiry_warning_days",
            "min_days_remaining", "provider");
    static final Set<String> CERTIFICATE_KEYS = ordered("name", "cert_content", "private_key",
            "private_key_passphrase", "trusted_root_ca", "type", "instance_id", "group_id", "expiry_warning_days",
            "min_days_remaining", "lifecycle", "domains", "algorithm_type", "cert_content_sign", "private_key_sign", "mode",
            "previous", "provider", "acme");
    /** The keys that give a certificate's material from files: an entry issued by ACME has none of them. */
    private static final List<String> MATERIAL_KEYS = List.of("cert_content", "private_key", "private_key_passphrase",
            "cert_content_sign", "private_key_sign", "algorithm_type");
    static final Set<String> LIFECYCLE_KEYS = ordered("prevent_destroy");
    private static final int DEFAULT_EXPIRY_WARNING_DAYS = 30;
    private static final int DEFAULT_MIN_DAYS_REMAINING = 7;

    private final BindingReader bindings;
    private final RolloutReader rollouts;
    private final AcmeReader acme;

    private final ProviderChoice providers;

    CertificateReader(SectionReader context, RolloutReader rollouts, ProviderChoice providers, AcmeReader acme) {
        super(context);
        this.bindings = new BindingReader(context, providers);
        this.rollouts = rollouts;
        this.providers = providers;
        this.acme = acme;
    }

    /** {@code defaults:} over certform's own defaults; certform's alone when absent or unreadable. */
    Inherited defaults(YamlTree.Entry entry) {
        Inherited defaults = new Inherited(null, null, "global", DEFAULT_EXPIRY_WARNING_DAYS,
                DEFAULT_MIN_DAYS_REMAINING);
        if (entry != null) {
            Map<String, YamlTree.Entry> d = tree.mapping(entry.value(), "defaults", Collections.unmodifiableSet(DEFAULT_KEYS));
            if (d != null) {
                defaults = defaults.over(values.id(d.get("instance_id"), "defaults.instance_id"),
                        values.id(d.get("group_id"), "defaults.group_id"), values.type(d.get("type"), "defaults.type"),
                        values.days(d.get("expiry_warning_days"), "defaults.expiry_warning_days"),
                        values.days(d.get("min_days_remaining"), "defaults.min_days_remaining"));
                defaults = providers.over(defaults, d, "defaults.provider");
            }
        }
        return defaults;
    }

    /** {@code certificates:}, each read over {@code defaults}; the ones with errors left out or incomplete. */
    List<CertificateSpec> certificates(YamlTree.Entry certs, SourceRange rootRange, Inherited defaults) {
        List<CertificateSpec> certificates = new ArrayList<>();
        if (certs == null) {
            diagnostics.error(rootRange, "missing 'certificates'",
                    "List the certificates to bind under 'certificates:'.");
        } else {
            Map<String, YamlTree.Entry> entries = tree.mapping(certs.value(), "certificates", null);
            if (entries != null) {
                bindings.expect(expectedBindings(entries));
                for (YamlTree.Entry entry : entries.values()) {
                    CertificateSpec spec = certificate(entry, defaults);
                    if (spec != null) {
                        certificates.add(spec);
                    }
                }
            }
        }
        return certificates;
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
        if (c.containsKey("acme")) {
            return issued(entry, c, key, name, where, range, defaults);
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
        Inherited inherited = inherited(c, where, range, defaults);
        boolean preventDestroy = preventDestroy(c, where);
        List<BindingSpec> bindings = this.bindings.domains(c.get("domains"), key, where, range, inherited);
        String mode = mode(c, where);
        String algorithmType = algorithmType(c, where);
        CertificateSpec.SignPair sign = signPair(c, where, range, algorithmType);
        return new CertificateSpec(key, name, certContent, privateKey, passphrase, trustedRootCa, inherited.type(),
                inherited.instanceId(), inherited.expiryWarningDays(), inherited.minDaysRemaining(), preventDestroy,
                bindings, range, algorithmType, sign, rollouts.previous(c, where), mode);
    }

    /**
     * An entry issued by ACME: its {@code acme:} block in place of the files ({@code cert_content},
     * {@code private_key} and the rest of the material are refused beside it).
     */
    private CertificateSpec issued(YamlTree.Entry entry, Map<String, YamlTree.Entry> c, String key, String name,
                                   String where, SourceRange range, Inherited defaults) {
        boolean material = false;
        for (String k : MATERIAL_KEYS) {
            if (c.containsKey(k)) {
                material = true;
                diagnostics.error(c.get(k).keyRange(), where + " has both acme and " + k,
                        "An entry is issued by ACME (acme:) or read from files (cert_content, private_key): remove "
                                + k + ", or remove the acme block.");
            }
        }
        SourceValue trustedRootCa = c.containsKey("trusted_root_ca")
                ? values.resolved(c, "trusted_root_ca", where, range, false) : null;
        Inherited inherited = inherited(c, where, range, defaults);
        boolean preventDestroy = preventDestroy(c, where);
        List<BindingSpec> bindings = this.bindings.domains(c.get("domains"), key, where, range, inherited);
        String mode = mode(c, where);
        AcmeSpec spec = acme.acme(c.get("acme"), where, bindings);
        if (spec == null || material) {
            return null;
        }
        return new CertificateSpec(key, name, null, null, null, trustedRootCa, inherited.type(),
                inherited.instanceId(), inherited.expiryWarningDays(), inherited.minDaysRemaining(), preventDestroy,
                bindings, range, null, null, rollouts.previous(c, where), mode, spec);
    }

    private Inherited inherited(Map<String, YamlTree.Entry> c, String where, SourceRange range, Inherited defaults) {
        Inherited inherited = defaults.over(values.id(c.get("instance_id"), where + " instance_id"),
                values.id(c.get("group_id"), where + " group_id"), values.type(c.get("type"), where + " type"),
                values.days(c.get("expiry_warning_days"), where + " expiry_warning_days"),
                values.days(c.get("min_days_remaining"), where + " min_days_remaining"));
        inherited = providers.over(inherited, c, where + " provider");
        if ("instance".equals(inherited.type()) && inherited.instanceId() == null) {
            diagnostics.error(range, where + " has type 'instance' but no instance_id",
                    "Set instance_id on the certificate or under defaults.");
        }
        return inherited;
    }

    private boolean preventDestroy(Map<String, YamlTree.Entry> c, String where) {
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
        return preventDestroy;
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
}
