package io.certform.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.GatewayClient;
import io.certform.api.Transport;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.manifest.Manifest;
import io.certform.manifest.Provider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session for one named provider: its credentials block first, its world file, its label in the HTTP log. */
class ProviderSessionFleetTest {

    @TempDir
    Path dir;

    private static Provider named(String name, String endpoint, Provider.Credentials credentials) {
        return new Provider(name, Service.ROMA, endpoint, null, "proj-" + name, null, null,
                Provider.DEFAULT_ATTACH_CHUNK, credentials, null);
    }

    private static Provider.Credentials pair(String ak, String sk) {
        return new Provider.Credentials(new Secret(ak, "${env:EU_AK}", null), new Secret(sk, "${env:EU_SK}", null),
                null, null, null);
    }

    private Manifest manifest(Provider... providers) {
        return new Manifest(dir.resolve("certform.yaml"), providers[0], dir.resolve("certform.state.json"), List.of(),
                null, null, List.of(providers));
    }

    @Test
    void credentialsBlock_comesFirst_elseTheConventionalSources() throws ProviderException {
        Map<String, String> env = Map.of("HUAWEICLOUD_SDK_AK", "AKSDK0000000000001", "HUAWEICLOUD_SDK_SK", "sdk-sk");
        CredentialSources.CredentialsFile file = new CredentialSources.CredentialsFile(dir.resolve("none"), Map.of());
        Provider eu = named("eu", "https://eu.example.com", pair("AKEU00000000000001", "eu-sk"));
        Credentials found = CredentialSources.find(eu, "flag-token", env::get, file);
        Credentials.AkSk aksk = assertInstanceOf(Credentials.AkSk.class, found);
        assertEquals("AKEU00000000000001", aksk.accessKey());
        assertEquals("eu-sk", aksk.secretKey().reveal());
        assertTrue(found.source().startsWith("AK/SK from ${env:EU_AK} / ${env:EU_SK} (providers.eu.credentials"),
                found.source());

        Provider token = named("us", "https://us.example.com", new Provider.Credentials(null, null, null,
                new Secret("us-token", "${env:US_TOKEN}", null), null));
        assertEquals("us-token", assertInstanceOf(Credentials.Token.class,
                CredentialSources.find(token, null, env::get, file)).token().reveal());

        Provider plain = named("ap", "https://ap.example.com", null);
        Credentials conventional = CredentialSources.find(plain, null, env::get, file);
        assertEquals("AKSDK0000000000001", assertInstanceOf(Credentials.AkSk.class, conventional).accessKey());
        assertEquals("token from --token", CredentialSources.find(plain, "flag-token", env::get, file).source());
    }

    @Test
    void worldFile_ofTheDefault_isUnchanged_anotherIsNamedAfterItsProvider() {
        Path state = dir.resolve("certform.state.json");
        assertEquals(dir.resolve(".certform/certform.state.json.world.json"), ProviderSession.worldFile(state));
        assertEquals(dir.resolve(".certform/certform.state.json.world.json"),
                ProviderSession.worldFile(state, "default"));
        assertEquals(dir.resolve(".certform/certform.state.json.world-eu.json"), ProviderSession.worldFile(state, "eu"));
    }

    @Test
    void httpLog_namesTheProvider_whenTheManifestHasSeveral() throws Exception {
        Provider def = named("default", Provider.EMBEDDED, null);
        Provider eu = named("eu", Provider.EMBEDDED, null);
        assertEquals(List.of(""), calls(manifest(def), def));
        List<String> prefixes = calls(manifest(def, eu), eu);
        assertEquals(List.of("[eu] "), prefixes);
    }

    /** The distinct prefixes ({@code [NAME] }, or none) of the HTTP log's lines of one call. */
    private List<String> calls(Manifest manifest, Provider provider) throws Exception {
        StringWriter log = new StringWriter();
        Transport transport = new Transport("certform/test", 2, GatewayClient.Timeouts.DEFAULT, null,
                new PrintWriter(log, true));
        try (ProviderSession session = new ProviderSession(manifest, provider, List.of(), null, name -> null,
                transport, Clock.systemUTC())) {
            session.client().listCertificates(null, 0, 10);
        }
        String text = log.toString();
        assertTrue(text.contains("--> GET"), text);
        return text.lines().map(l -> l.startsWith("[") ? l.substring(0, l.indexOf(']') + 2) : "").distinct().toList();
    }
}
