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
            "attach_chunk");

    ProviderReader(SectionReader context) {
        super(context);
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

    Provider provider(YamlTree.Entry entry, SourceRange rootRange, Path baseDir) {
        if (entry == null) {
            diagnostics.error(rootRange, "missing 'provider'",
                    "Add a provider block; 'provider: { endpoint: embedded }' uses the local simulator.");
            return null;
        }
        Map<String, YamlTree.Entry> p = tree.mapping(entry.value(), "provider", Collections.unmodifiableSet(PROVIDER_KEYS));
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
}
