package io.certform.cli;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A manifest like the quickstart's, with certificates generated for this test run. */
final class QuickstartFixture {
    final Path dir;
    final TestCertificates.Issued shop;
    final TestCertificates.Issued status;
    final TestCertificates.Issued statusRenewed;

    QuickstartFixture(Path dir) throws IOException {
        this.dir = dir;
        TestCertificates.Authority ca = TestCertificates.authority("certform Test CA");
        Instant now = Instant.now();
        shop = ca.issue("api.shop.example.com", "www.shop.example.com");
        var ecKeys = TestCertificates.ec("secp256r1");
        status = ca.issue(ecKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(400)), "status.example.com");
        statusRenewed = ca.issue(ecKeys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(800)),
                "status.example.com");
        Files.createDirectories(dir.resolve("certs"));
        Files.writeString(dir.resolve("certs/shop.crt"), shop.chainPem());
        Files.writeString(dir.resolve("certs/shop.key"), shop.privateKeyPem());
        Files.writeString(dir.resolve("certs/status.crt"), status.chainPem());
        Files.writeString(dir.resolve("certs/status-renewed.crt"), statusRenewed.chainPem());
        Files.writeString(dir.resolve("certs/status.key"), TestCertificates.traditionalPem(ecKeys.getPrivate()));
        writeManifest("embedded", "certs/status.crt", true);
    }

    Path manifest() {
        return dir.resolve("certform.yaml");
    }

    void writeManifest(String endpoint, String statusCertificate, boolean withWww) throws IOException {
        String www = withWww ? "      - { group_id: grp1, domain: www.shop.example.com }\n" : "";
        Files.writeString(manifest(), """
                version: 1
                provider:
                  endpoint: %s
                  project_id: proj1
                defaults:
                  instance_id: inst1
                certificates:
                  shop:
                    name: shop_api_2026
                    cert_content: ${file:certs/shop.crt}
                    private_key: ${file:certs/shop.key}
                    domains:
                      - { group_id: grp1, domain: api.shop.example.com }
                %s  status:
                    name: status_page_2026
                    cert_content: ${file:%s}
                    private_key: ${env:STATUS_KEY}
                    domains:
                      - { group_id: grp2, domain_id: dom3, domain: status.example.com }
                """.formatted(endpoint, www, statusCertificate));
    }

    /** Private key material: the base64 lines of every key this fixture made. */
    List<String> keyMaterial() throws IOException {
        return List.of(shop.privateKeyPem(), Files.readString(dir.resolve("certs/status.key"))).stream()
                .flatMap(pem -> pem.lines().filter(l -> !l.startsWith("-----") && l.length() > 20)).toList();
    }

    String statusKey() throws IOException {
        return Files.readString(dir.resolve("certs/status.key"));
    }
}
