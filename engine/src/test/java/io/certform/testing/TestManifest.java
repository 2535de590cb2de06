package io.certform.testing;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code certform.yaml} written from a {@link GatewayWorld}: one certificate, by default {@code site} named
 * {@code site_cert}, in the manifest's default mode and type, its material in {@code wild.crt} and {@code wild.key},
 * on every domain of the world, each given by group, id and name:
 *
 * <pre>
 * version: 1
 * provider: { endpoint: "http://127.0.0.1:PORT", project_id: proj1 }
 * defaults: { instance_id: inst1 }
 * certificates:
 *   site:
 *     name: site_cert
 *     cert_content: ${file:wild.crt}
 *     private_key: ${file:wild.key}
 *     domains:
 *       - { group_id: grp0, domain_id: dom0, domain: d0.example.com }
 * </pre>
 *
 * Each setter changes one part; {@link #write(Path, TestCertificates.Issued)} writes the manifest and the material.
 */
public final class TestManifest {
    private final List<GatewayWorld.Domain> worldDomains;
    private String provider;
    private int attachChunk;
    private String stateLine;
    private String key = "site";
    private String name = "site_cert";
    private String mode;
    private String type;
    private String material = "wild";
    private String tail = "";
    private boolean byId = true;
    private final List<String> rollout = new ArrayList<>();
    private final List<String> certificateLines = new ArrayList<>();
    private List<String> domains;

    TestManifest(String provider, List<GatewayWorld.Domain> worldDomains) {
        this.provider = provider;
        this.worldDomains = worldDomains;
    }

    /** The provider block's content, in place of the simulator's endpoint and proj1. */
    public TestManifest provider(String content) {
        this.provider = content;
        return this;
    }

    /** The provider's attach_chunk (0: not written). */
    public TestManifest attachChunk(int chunk) {
        this.attachChunk = chunk;
        return this;
    }

    /** A {@code state:} line before the defaults, e.g. {@link PostgresSchema#stateLine()}; null: not written. */
    public TestManifest state(String line) {
        this.stateLine = line;
        return this;
    }

    /** The certificate's key in the manifest (its address). */
    public TestManifest key(String certificateKey) {
        this.key = certificateKey;
        return this;
    }

    /** The certificate's name on the gateway. */
    public TestManifest name(String sslName) {
        this.name = sslName;
        return this;
    }

    /** The certificate's mode ({@code shared}, {@code per-domain}); null: not written. */
    public TestManifest mode(String certificateMode) {
        this.mode = certificateMode;
        return this;
    }

    /** The certificate's type ({@code global}, {@code instance}); null: not written. */
    public TestManifest type(String certificateType) {
        this.type = certificateType;
        return this;
    }

    /** The base name of the certificate's files: {@code <material>.crt} and {@code <material>.key}. */
    public TestManifest material(String baseName) {
        this.material = baseName;
        return this;
    }

    /** Lines of a rollout block (each indented under {@code rollout:}). */
    public TestManifest rollout(String... lines) {
        rollout.addAll(List.of(lines));
        return this;
    }

    /** Lines added to the certificate entry, before its material (e.g. {@code lifecycle: ...}). */
    public TestManifest certificate(String... lines) {
        certificateLines.addAll(List.of(lines));
        return this;
    }

    /** Text added to the certificate entry after its material, as written (each line indented by four spaces). */
    public TestManifest afterMaterial(String text) {
        this.tail = text;
        return this;
    }

    /** Each domain of the world given by group and name only, not by id. */
    public TestManifest byName() {
        this.byId = false;
        return this;
    }

    /** The certificate's domain entries, each the text after {@code - }, in place of the world's domains. */
    public TestManifest domains(String... entries) {
        this.domains = List.of(entries);
        return this;
    }

    /** The manifest's text. */
    public String text() {
        StringBuilder text = new StringBuilder("version: 1\n")
                .append("provider: { ").append(provider)
                .append(attachChunk > 0 ? ", attach_chunk: " + attachChunk : "").append(" }\n");
        if (stateLine != null) {
            text.append(stateLine).append('\n');
        }
        text.append("defaults: { instance_id: ").append(GatewayWorld.INSTANCE).append(" }\n");
        if (!rollout.isEmpty()) {
            text.append("rollout:\n");
            rollout.forEach(line -> text.append("  ").append(line).append('\n'));
        }
        text.append("certificates:\n  ").append(key).append(":\n    name: ").append(name).append('\n');
        if (mode != null) {
            text.append("    mode: ").append(mode).append('\n');
        }
        if (type != null) {
            text.append("    type: ").append(type).append('\n');
        }
        certificateLines.forEach(line -> text.append("    ").append(line).append('\n'));
        text.append("    cert_content: ${file:").append(material).append(".crt}\n")
                .append("    private_key: ${file:").append(material).append(".key}\n")
                .append(tail)
                .append("    domains:\n");
        entries().forEach(entry -> text.append("      - ").append(entry).append('\n'));
        return text.toString();
    }

    private List<String> entries() {
        if (domains != null) {
            return domains;
        }
        return worldDomains.stream().map(d -> "{ group_id: " + d.groupId()
                + (byId ? ", domain_id: " + d.domainId() : "") + ", domain: " + d.urlDomain() + " }").toList();
    }

    /** Writes {@code certform.yaml} and {@code cert}'s material into {@code dir}; the manifest's path. */
    public Path write(Path dir, TestCertificates.Issued cert) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(material + ".crt"), cert.chainPem());
        Files.writeString(dir.resolve(material + ".key"), cert.privateKeyPem());
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, text());
        return manifest;
    }
}
