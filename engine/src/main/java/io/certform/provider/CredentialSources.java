package io.certform.provider;

import io.certform.manifest.Provider;

import io.certform.base.Environment;
import io.certform.base.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds credentials where Huawei Cloud users already keep them, first match wins:
 * <ol>
 *   <li>{@code --token}</li>
 *   <li>{@code CERTFORM_AUTH_TOKEN}</li>
 *   <li>{@code HUAWEICLOUD_SDK_AK} + {@code HUAWEICLOUD_SDK_SK} (+ {@code HUAWEICLOUD_SDK_SECURITY_TOKEN}), as the SDKs</li>
 *   <li>{@code HW_ACCESS_KEY} + {@code HW_SECRET_KEY} (+ {@code HW_SECURITY_TOKEN}), as the Terraform provider</li>
 *   <li>{@code HW_USER_NAME} + {@code HW_PASSWORD} + {@code HW_DOMAIN_NAME}: an IAM token for that user</li>
 *   <li>the credentials file {@code ~/.huaweicloud/credentials}, section {@code [basic]}: {@code ak}, {@code sk},
 *       {@code security_token}</li>
 * </ol>
 * Half a pair (an AK without its SK, a user without a password) is an error naming what is missing.
 */
public final class CredentialSources {

    /** The credentials file's {@code [basic]} section, or empty. */
    public record CredentialsFile(Path path, Map<String, String> basic) {
        public String get(String key) {
            String value = basic.get(key);
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    private CredentialSources() {
    }

    public static Path credentialsFile(Environment environment) {
        String home = environment.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".huaweicloud",
                "credentials");
    }

    public static CredentialsFile readCredentialsFile(Environment environment) throws ProviderException {
        Path path = credentialsFile(environment);
        Map<String, String> basic = new HashMap<>();
        if (!Files.isRegularFile(path)) {
            return new CredentialsFile(path, basic);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProviderException("cannot read the credentials file " + path + ": " + e.getClass().getSimpleName());
        }
        String section = "";
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).trim().toLowerCase(Locale.ROOT);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0 && section.equals("basic")) {
                basic.put(line.substring(0, eq).trim().toLowerCase(Locale.ROOT), line.substring(eq + 1).trim());
            }
        }
        return new CredentialsFile(path, basic);
    }

    /**
     * The credentials {@code provider} uses: its {@code credentials} block (references resolved when the manifest was
     * read), else the conventional sources by the precedence above.
     */
    public static Credentials find(Provider provider, String tokenFlag, Environment env, CredentialsFile file)
            throws ProviderException {
        Provider.Credentials declared = provider == null ? null : provider.credentials();
        if (declared == null) {
            return find(tokenFlag, env, file);
        }
        String where = provider.where() + ".credentials";
        if (declared.token() != null) {
            return new Credentials.Token(declared.token(), "token from " + declared.token().origin() + " ("
                    + where + ")");
        }
        String ak = declared.accessKey().reveal();
        return new Credentials.AkSk(ak, declared.secretKey(), declared.securityToken(), "AK/SK from "
                + declared.accessKey().origin() + " / " + declared.secretKey().origin() + " (" + where
                + ", access key " + Credentials.mask(ak) + ")" + (declared.securityToken() == null ? ""
                : ", with a security token from " + declared.securityToken().origin()));
    }

    /** The credentials to use, by the precedence above; {@code file} is the credentials file as read. */
    public static Credentials find(String tokenFlag, Environment env, CredentialsFile file) throws ProviderException {
        if (tokenFlag != null && !tokenFlag.isBlank()) {
            return new Credentials.Token(new Secret(tokenFlag, "--token", null), "token from --token");
        }
        String token = env.get(ProviderSession.TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            return new Credentials.Token(new Secret(token, ProviderSession.TOKEN_VARIABLE, null),
                    "token from " + ProviderSession.TOKEN_VARIABLE);
        }
        Credentials pair = pair(env, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN");
        if (pair != null) {
            return pair;
        }
        pair = pair(env, "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN");
        if (pair != null) {
            return pair;
        }
        String user = env.get("HW_USER_NAME");
        String password = env.get("HW_PASSWORD");
        String domain = env.get("HW_DOMAIN_NAME");
        if (set(user) || set(password)) {
            if (!set(user) || !set(password) || !set(domain)) {
                throw new ProviderException("incomplete IAM password credentials: HW_USER_NAME, HW_PASSWORD and"
                        + " HW_DOMAIN_NAME must all be set (missing: " + missing(java.util.Arrays.asList("HW_USER_NAME", user,
                        "HW_PASSWORD", password, "HW_DOMAIN_NAME", domain)) + ").");
            }
            return new Credentials.Password(domain, user, new Secret(password, "HW_PASSWORD", null),
                    "IAM password of user '" + user + "' in domain '" + domain
                            + "' from HW_USER_NAME / HW_PASSWORD / HW_DOMAIN_NAME");
        }
        String ak = file.get("ak");
        String sk = file.get("sk");
        if (ak != null || sk != null) {
            if (ak == null || sk == null) {
                throw new ProviderException("incomplete AK/SK in " + file.path() + " [basic]: both ak and sk are"
                        + " needed (missing: " + (ak == null ? "ak" : "sk") + ").");
            }
            String securityToken = file.get("security_token");
            return new Credentials.AkSk(ak, new Secret(sk, file.path() + " sk", null),
                    securityToken == null ? null : new Secret(securityToken, file.path() + " security_token", null),
                    "AK/SK from " + file.path() + " [basic] (access key " + Credentials.mask(ak) + ")"
                            + (securityToken == null ? "" : ", with its security_token"));
        }
        return new Credentials.None("no credentials: pass --token TOKEN, or set CERTFORM_AUTH_TOKEN,"
                + " HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, HW_ACCESS_KEY/HW_SECRET_KEY,"
                + " HW_USER_NAME/HW_PASSWORD/HW_DOMAIN_NAME, or write " + file.path() + " (see docs/authentication.md)");
    }

    private static Credentials pair(Environment env, String akName, String skName, String tokenName)
            throws ProviderException {
        String ak = env.get(akName);
        String sk = env.get(skName);
        if (!set(ak) && !set(sk)) {
            return null;
        }
        if (!set(ak) || !set(sk)) {
            throw new ProviderException("incomplete AK/SK: " + akName + " and " + skName + " must both be set (missing: "
                    + (set(ak) ? skName : akName) + ").");
        }
        String token = env.get(tokenName);
        return new Credentials.AkSk(ak, new Secret(sk, skName, null),
                set(token) ? new Secret(token, tokenName, null) : null,
                "AK/SK from " + akName + " / " + skName + " (access key " + Credentials.mask(ak) + ")"
                        + (set(token) ? ", with a security token from " + tokenName : ""));
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    private static String missing(List<String> namesAndValues) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < namesAndValues.size(); i += 2) {
            if (!set(namesAndValues.get(i + 1))) {
                out.append(out.length() == 0 ? "" : ", ").append(namesAndValues.get(i));
            }
        }
        return out.toString();
    }
}
