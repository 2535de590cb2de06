package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credential written as a literal is refused and never echoed, in text or JSON: whatever the literal looks like
 * (here an access key pair without any of the words "secret", "token" or "password" that make a line look secret).
 */
class FleetCredentialLiteralNeverEchoedTest {

    private static final String AK = "AKIAEXAMPLEVALUE01";
    private static final String SK = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";

    @TempDir
    Path dir;

    private CliRun validate(String providers, String... flags) throws IOException {
        Files.writeString(dir.resolve("certform.yaml"), String.join("\n",
                "version: 1",
                providers,
                "certificates: {}") + "\n");
        String[] args = new String[flags.length + 3];
        args[0] = "validate";
        System.arraycopy(flags, 0, args, 1, flags.length);
        args[flags.length + 1] = "-f";
        args[flags.length + 2] = dir.resolve("certform.yaml").toString();
        return CliRun.run(Map.of(), "", args);
    }

    private static void refusedWithoutEcho(CliRun run) {
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.toString().contains("credentials.sk is written as a value"), run.toString());
        assertFalse(run.toString().contains(SK), run.toString());
        assertFalse(run.toString().contains(AK), run.toString());
    }

    @Test
    void aLiteralCredentialOfANamedProvider_isNeverEchoed() throws IOException {
        String providers = String.join("\n",
                "providers:",
                "  eu:",
                "    endpoint: https://apig.eu.example.com",
                "    project_id: proj-eu",
                "    credentials:",
                "      ak: " + AK,
                "      sk: " + SK);
        refusedWithoutEcho(validate(providers));
        refusedWithoutEcho(validate(providers, "--json"));
    }

    @Test
    void aLiteralCredentialOfTheProviderBlock_isNeverEchoed() throws IOException {
        String provider = String.join("\n",
                "provider:",
                "  endpoint: https://apig.eu.example.com",
                "  project_id: proj-eu",
                "  credentials: { ak: " + AK + ", sk: " + SK + " }");
        refusedWithoutEcho(validate(provider));
        refusedWithoutEcho(validate(provider, "--json"));
    }

    /** A block refused for its shape (a key missing, or a token beside a key pair) does not show its literals either. */
    @Test
    void aLiteralCredentialInABlockOfTheWrongShape_isNeverEchoed() throws IOException {
        CliRun missing = validate(String.join("\n",
                "providers:",
                "  eu:",
                "    endpoint: https://apig.eu.example.com",
                "    project_id: proj-eu",
                "    credentials: { ak: " + AK + " }"));
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.toString().contains("providers.eu.credentials is missing sk"), missing.toString());
        assertFalse(missing.toString().contains(AK), missing.toString());
        CliRun both = validate(String.join("\n",
                "providers:",
                "  eu:",
                "    endpoint: https://apig.eu.example.com",
                "    project_id: proj-eu",
                "    credentials: { ak: " + AK + ", sk: " + SK + ", token: '${env:EU_TOKEN}' }"));
        assertEquals(1, both.exitCode(), both.toString());
        assertTrue(both.toString().contains("gives both a token and an access key"), both.toString());
        assertFalse(both.toString().contains(SK), both.toString());
        assertFalse(both.toString().contains(AK), both.toString());
    }
}
