package io.certform.manifest;

import io.certform.base.LibraryText;
import io.certform.base.Service;
import io.certform.base.SourceRange;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code version} and the {@code provider:} block: the service, its endpoint, region, project and world. */
final class ProviderReader extends SectionReader {

    static final Set<String> PROVIDER_KEYS = ordered("service", "endpoint", "region", "project_id", "world",
            "attach_chunk", "credentials", "parallelism", "rate", "connect_timeout", "read_timeout", "call_timeout",
            "settle_window");
    /** The most characters a provider's name has. */
    static final int MAX_NAME = 32;

    private final ProviderSettingsReader settings;

    ProviderReader(SectionReader context) {
        super(context);
        this.settings = new ProviderSettingsReader(context);
    }

    /**
     * The {@code provider:} block (named {@value Provider#DEFAULT}) and the {@code providers:} mapping, in declared
     * order with the default first; at least one. Empty (after reporting) when there is none or none can be read.
     */
    java.util.List<Provider> providers(YamlTree.Entry single, YamlTree.Entry named, SourceRange rootRange,
                                       Path baseDir) {
        java.util.List<Provider> out = new java.util.ArrayList<>();
        if (single == null && named == null) {
            diagnostics.error(rootRange, "missing 'provider'",
                    "Add a provider block; 'provider: { endpoint: embedded }' uses the local simulator (or name"
                            + " several under 'providers:').");
            return out;
        }
        if (single != null) {
            Provider p = provider(single, Provider.DEFAULT, baseDir);
            if (p != null) {
                out.add(p);
            }
        }
        if (named == null) {
            return out;
        }
        Map<String, YamlTree.Entry> blocks = tree.mapping(named.value(), "providers", null);
        if (blocks == null) {
            return out;
        }
        if (blocks.isEmpty() && single == null) {
            diagnostics.error(tree.at(named.value()), "'providers' names no provider",
                    "Name at least one, e.g. providers: { eu: { region: eu-west-101 } }.");
        }
        for (YamlTree.Entry entry : blocks.values()) {
            String name = entry.key();
            if (!validName(name)) {
                diagnostics.error(entry.keyRange(), "provider name '" + name + "' is not valid",
                        "A provider's name is a lower-case letter, then lower-case letters, digits, '_' or '-' (at"
                                + " most " + MAX_NAME + " characters), e.g. eu or staging-cn.");
                continue;
            }
            if (name.equals(Provider.DEFAULT) && single != null) {
                diagnostics.error(entry.keyRange(), "the provider 'default' is declared twice: by 'provider:' at "
                                + tree.at(single.value()) + " and by providers.default",
                        "The 'provider:' block is the provider named default: remove one of them, or give this one"
                                + " another name.");
                continue;
            }
            Provider p = provider(entry, name, baseDir);
            if (p != null && name.equals(Provider.DEFAULT)) {
                out.add(0, p);
            } else if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean validName(String name) {
        int n = name.length();
        if (n < 1 || n > MAX_NAME || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    void version(YamlTree.Entry entry, SourceRange rootRange) {
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

    private Provider provider(YamlTree.Entry entry, String name, Path baseDir) {
        String where = Provider.where(name);
        Map<String, YamlTree.Entry> p = tree.mapping(entry.value(), where, Collections.unmodifiableSet(PROVIDER_KEYS));
        if (p == null) {
            return null;
        }
        Service service = Service.ROMA;
        if (p.containsKey("service")) {
            String word = values.string(p.get("service").value(), where + ".service");
            if (word != null) {
                service = Service.fromManifest(word);
                if (service == null) {
                    diagnostics.error(tree.at(p.get("service").value()),
                            "unknown " + where + ".service '" + word + "'",
                            "Use 'roma' (ROMA Connect, paths /apic/) or 'apig' (API Gateway, paths /apigw/).");
                }
            }
        }
        String endpoint = p.containsKey("endpoint") ? values.string(p.get("endpoint").value(), where + ".endpoint")
                : null;
        if (endpoint != null && !endpoint.equals(Provider.EMBEDDED)) {
            checkEndpoint(endpoint, tree.at(p.get("endpoint").value()), where);
        }
        String region = p.containsKey("region") ? values.string(p.get("region").value(), where + ".region") : null;
        String project = p.containsKey("project_id") ? values.id(p.get("project_id"), where + ".project_id") : null;
        Path world = null;
        if (p.containsKey("world")) {
            String text = values.string(p.get("world").value(), where + ".world");
            SourceRange at = tree.at(p.get("world").value());
            if (text != null && !Provider.EMBEDDED.equals(endpoint)) {
                diagnostics.error(at, where + ".world is for the embedded simulator",
                        "Set 'endpoint: embedded' to rehearse on a world file, or remove 'world'.");
            } else if (text != null) {
                world = baseDir.resolve(text).normalize();
                if (!java.nio.file.Files.isRegularFile(world)) {
                    diagnostics.error(at, where + ".world: no file " + world,
                            "Name a simulator world file (docs/simulator.md, 'World file'), relative to the"
                                    + " manifest's folder.");
                    world = null;
                }
            }
        }
        int chunk = Provider.DEFAULT_ATTACH_CHUNK;
        if (p.containsKey("attach_chunk")) {
            String text = values.number(p.get("attach_chunk").value(), where + ".attach_chunk");
            Integer n = null;
            try {
                n = text == null ? null : Integer.valueOf(text);
            } catch (NumberFormatException e) {
                // reported below
            }
            if (n != null && n >= 1 && n <= Provider.MAX_ATTACH_CHUNK) {
                chunk = n;
            } else if (text != null) {
                diagnostics.error(tree.at(p.get("attach_chunk").value()), where + ".attach_chunk '" + text
                                + "' is not a number of domains from 1 to " + Provider.MAX_ATTACH_CHUNK,
                        "It is how many domains one attach or detach call of the shared model names (default "
                                + Provider.DEFAULT_ATTACH_CHUNK + ").");
            }
        }
        Provider.Credentials credentials = p.containsKey("credentials")
                ? settings.credentials(p.get("credentials"), name, where) : null;
        return new Provider(name, service, endpoint, region, project, world, tree.at(entry.value()), chunk,
                credentials, settings.runSettings(p, where));
    }

    /** 127.x.x.x written in full: the only IPv4 loopback form the JSON Schema (and a reader) recognises. */
    private static final java.util.regex.Pattern LOOPBACK_V4 =
            java.util.regex.Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");

    private void checkEndpoint(String endpoint, SourceRange at, String where) {
        // A user name or password in the URL is never echoed: it may be a secret.
        String shown = endpoint.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1...@");
        try {
            URI uri = new URI(endpoint);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost();
            boolean loopback = host != null && (host.equals("localhost") || LOOPBACK_V4.matcher(host).matches()
                    || host.equals("[::1]") || host.equals("::1"));
            if (!(scheme.equals("https") || scheme.equals("http"))) {
                diagnostics.error(at, where + ".endpoint '" + shown + "' is not an https:// URL",
                        "Write https://host[:port], 'embedded', or leave it out to derive it from the region.");
            } else if (!shown.equals(endpoint)) {
                diagnostics.error(at, where + ".endpoint '" + shown + "' carries a user name",
                        "certform signs each request with the access key and never sends a user name or password"
                                + " in the URL (a password there would also be a secret in version control)."
                                + " Remove the part before '@'.");
            } else if (host == null) {
                String authority = uri.getRawAuthority();
                String hint = authority != null && authority.startsWith("127.")
                        ? " Write the loopback address in full: 127.0.0.1, not " + authority.replaceFirst(":.*", "")
                        + "."
                        : "";
                diagnostics.error(at, where + ".endpoint '" + shown + "' names no host certform can read"
                                + (authority == null || authority.startsWith(":") ? "" : " ('" + authority + "')"),
                        "Write " + scheme + "://host[:port] with a host name, an IPv4 address of four numbers or"
                                + " [an IPv6 address]." + hint);
            } else if (scheme.equals("http") && !loopback) {
                diagnostics.error(at, "plain http:// is refused for " + host,
                        "Certificates and keys must travel over TLS; http:// is allowed only to loopback"
                                + " (a local simulator: localhost, 127.0.0.1, [::1]).");
            }
        } catch (URISyntaxException e) {
            diagnostics.error(at, where + ".endpoint '" + shown + "' is not a valid URL",
                    LibraryText.sentence(e.getReason()) + " Write https://host[:port], or 'embedded'.");
        }
    }
}
