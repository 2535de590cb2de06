package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Environment;
import io.certform.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code match:} entries: a pattern within a group, or over an instance; their mistakes, located. */
class ManifestPatternTest {

    @TempDir
    Path dir;

    private final Environment environment = Map.of("KEY", "key text")::get;

    private ManifestParser.Result parse(String entry) throws IOException {
        Files.writeString(dir.resolve("w.crt"), "certificate text");
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, """
                version: 1
                provider: { endpoint: embedded }
                defaults: { group_id: gdef }
                certificates:
                  wild:
                    name: wild_2026
                    instance_id: inst1
                    cert_content: ${file:w.crt}
                    private_key: ${env:KEY}
                    domains:
                      - %s
                """.formatted(entry));
        return new ManifestParser(environment).parse(file, "certform.yaml");
    }

    private static String rendered(ManifestParser.Result result) {
        return result.diagnostics().all().stream().map(Diagnostic::headline).collect(Collectors.joining("\n"));
    }

    @Test
    void groupPattern_keepsItsGroup_instancePattern_ignoresInheritedGroup() throws IOException {
        ManifestParser.Result inGroup = parse("{ group_id: g1, match: \"*.Shop.example.com\" }");
        assertTrue(inGroup.ok(), rendered(inGroup));
        BindingSpec b = inGroup.manifest().bindings().get(0);
        assertEquals("*.shop.example.com", b.match());
        assertEquals("g1", b.groupId());
        assertEquals("inst1", b.instanceId());
        assertTrue(b.isPattern());

        ManifestParser.Result instance = parse("{ match: \"**.shop.example.com\" }");
        assertTrue(instance.ok(), rendered(instance));
        assertNull(instance.manifest().bindings().get(0).groupId(), "a pattern looks in every group of the instance");
    }

    @Test
    void mode_perDomainIsTheDefault_sharedIsRead_anythingElseRefused() throws IOException {
        Files.writeString(dir.resolve("w.crt"), "certificate text");
        Path file = dir.resolve("certform.yaml");
        String text = """
                version: 1
                provider: { endpoint: embedded }
                certificates:
                  wild:
                    mode: %s
                    name: wild_2026
                    instance_id: inst1
                    cert_content: ${file:w.crt}
                    private_key: ${env:KEY}
                    domains:
                      - { group_id: g1, domain: api.example.com }
                """;
        Files.writeString(file, text.formatted("per-domain"));
        ManifestParser.Result perDomain = new ManifestParser(environment).parse(file, "certform.yaml");
        assertTrue(perDomain.ok(), rendered(perDomain));
        Files.writeString(file, text.formatted("shared"));
        ManifestParser.Result shared = new ManifestParser(environment).parse(file, "certform.yaml");
        assertTrue(shared.ok(), rendered(shared));
        assertTrue(shared.read().certificates().get(0).shared());
        assertFalse(perDomain.read().certificates().get(0).shared());
        Files.writeString(file, text.replace("provider: { endpoint: embedded }",
                "provider: { endpoint: embedded, attach_chunk: 0 }").formatted("shared"));
        String chunk = rendered(new ManifestParser(environment).parse(file, "certform.yaml"));
        assertTrue(chunk.contains("certform.yaml:2:47: error: provider.attach_chunk '0' is not a number of domains"
                + " from 1 to 1000"), chunk);
        Files.writeString(file, text.formatted("sharded"));
        assertTrue(rendered(new ManifestParser(environment).parse(file, "certform.yaml"))
                .contains("mode 'sharded' is not per-domain or shared"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{ group_id: g1, match: \"*.shop.example.com\", domain: api.shop.example.com }|gives both match and domain",
            "{ group_id: g1, match: \"api.shop.example.com\" }|has no '*'",
            "{ group_id: g1, match: \"*.example.*\" }|cannot be a wildcard",
            "{ group_id: g1, match: \"a_b.*.example.com\" }|is not a label of a domain pattern",
            "{ group_id: g1, matches: \"*.example.com\" }|matches",
    })
    void mistakes_areLocatedErrors(String entry, String expected) throws IOException {
        ManifestParser.Result result = parse(entry);
        assertFalse(result.ok());
        String text = rendered(result);
        assertTrue(text.contains(expected), text);
        assertTrue(text.contains("certform.yaml:11:"), "located at the entry: " + text);
    }
}
