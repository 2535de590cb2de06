package io.certform.api;

import io.certform.base.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Huawei Cloud's {@code SDK-HMAC-SHA256} request signing with an access key (AK) and secret key (SK), as the SDKs
 * and the Terraform provider do it:
 * <pre>
 * CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n hex(sha256(body))
 * StringToSign     = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 * Signature        = hex(HMAC-SHA256(SK, StringToSign))
 * </pre>
 * The canonical URI encodes each path segment and ends every segment with {@code /}. Signed here: {@code host},
 * {@code x-sdk-date}, and {@code x-security-token} / {@code x-project-id} when they are sent.
 */
public final class AkSkSigner implements Interceptor {

    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    public static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final Secret secretKey;
    private final Secret securityToken;
    private final String projectId;
    private final Clock clock;

    /**
     * @param securityToken for temporary credentials, else null
     * @param projectId     sent as {@code X-Project-Id} and signed, or null
     */
    public AkSkSigner(String accessKey, Secret secretKey, Secret securityToken, String projectId, Clock clock) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.securityToken = securityToken;
        this.projectId = projectId;
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Request.Builder signed = request.newBuilder();
        String date = SDK_DATE.format(clock.instant());
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", hostHeader(request.url()));
        headers.put("x-sdk-date", date);
        signed.header("X-Sdk-Date", date);
        if (securityToken != null) {
            headers.put("x-security-token", securityToken.reveal());
            signed.header("X-Security-Token", securityToken.reveal());
        }
        if (projectId != null) {
            headers.put("x-project-id", projectId);
            signed.header("X-Project-Id", projectId);
        }
        byte[] body = new byte[0];
        if (request.body() != null) {
            try (Buffer buffer = new Buffer()) {
                request.body().writeTo(buffer);
                body = buffer.readByteArray();
            }
        }
        String signature = signature(secretKey.reveal(), request.method(), request.url().encodedPath(),
                request.url().encodedQuery(), headers, body, date);
        signed.header("Authorization", ALGORITHM + " Access=" + accessKey + ", SignedHeaders="
                + String.join(";", headers.keySet()) + ", Signature=" + signature);
        return chain.proceed(signed.build());
    }

    /** The Host header okhttp sends: the port only when it is not the scheme's default. */
    static String hostHeader(HttpUrl url) {
        return url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
    }

    /**
     * The signature of one request.
     *
     * @param rawPath  the path as sent (percent-encoded)
     * @param rawQuery the query as sent, or null
     * @param headers  the signed headers, by lowercase name
     */
    public static String signature(String secretKey, String method, String rawPath, String rawQuery,
                                   Map<String, String> headers, byte[] body, String sdkDate) {
        String canonical = canonicalRequest(method, rawPath, rawQuery, headers, body);
        String toSign = ALGORITHM + "\n" + sdkDate + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonicalRequest(String method, String rawPath, String rawQuery, Map<String, String> headers,
                                   byte[] body) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, String> h : new TreeMap<>(headers).entrySet()) {
            canonicalHeaders.append(h.getKey().toLowerCase(Locale.ROOT)).append(':').append(h.getValue().trim())
                    .append('\n');
        }
        return method.toUpperCase(Locale.ROOT) + "\n" + canonicalUri(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
                + canonicalHeaders + "\n" + String.join(";", new TreeMap<>(headers).keySet()) + "\n"
                + hex(sha256(body));
    }

    /** Each segment decoded then encoded the SDK's way, and a {@code /} after every segment. */
    static String canonicalUri(String rawPath) {
        StringBuilder uri = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                uri.append('/').append(encode(decode(segment)));
            }
        }
        return uri.append('/').toString();
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> pairs = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = encode(decode(eq < 0 ? pair : pair.substring(0, eq)));
            String value = eq < 0 ? "" : encode(decode(pair.substring(eq + 1)));
            pairs.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        List<String> out = new ArrayList<>();
        pairs.forEach((k, values) -> values.stream().sorted().forEach(v -> out.add(k + "=" + v)));
        return String.join("&", out);
    }

    /** RFC 3986: everything but unreserved characters is percent-encoded, upper-case hex. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "AkSkSigner(access key " + accessKey + ", secret key (sensitive))";
    }
}
