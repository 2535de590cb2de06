package io.certform.provider;

import io.certform.base.Secret;

/**
 * Credentials found for a run, and where they came from. {@link #source()} names the source and never the secret.
 */
public sealed interface Credentials {

    /** Where they came from, safe to show: e.g. {@code AK/SK from HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK}. */
    String source();

    /** An IAM token, sent as {@code X-Auth-Token}. */
    record Token(Secret token, String source) implements Credentials {
    }

    /** An access key and secret key, signing every request; temporary ones add a security token. */
    record AkSk(String accessKey, Secret secretKey, Secret securityToken, String source) implements Credentials {
    }

    /** A user's password, exchanged at IAM for a token. */
    record Password(String domain, String user, Secret password, String source) implements Credentials {
    }

    /** Nothing found; {@code source} says what was looked for. */
    record None(String source) implements Credentials {
    }

    /** An access key shown safely: its first four and last three characters. */
    static String mask(String accessKey) {
        if (accessKey.length() <= 8) {
            return "****";
        }
        return accessKey.substring(0, 4) + "****" + accessKey.substring(accessKey.length() - 3);
    }
}
