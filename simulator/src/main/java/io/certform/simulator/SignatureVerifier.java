package io.certform.simulator;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies {@code SDK-HMAC-SHA256} signatures the way the gateway does: the signed headers are the ones the
 * client names in {@code SignedHeaders}, the date must be within 15 minutes of the server's clock. Written apart
 * from the engine's signer, so that the two check each other.
 */
final class SignatureVerifier {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "SDK-HMAC-SHA256\\s+Access=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)");
    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration SKEW = Duration.ofMinutes(15);

    private SignatureVerifier() {
    }

    static void verify(String authorization, String method, String rawPath, String rawQuery, Headers headers,
                       byte[] body, Map<String, SimulatorOptions.AccessKey> keys, Instant now) {
        Matcher m = AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw wrong("the Authorization header is not an SDK-HMAC-SHA256 signature");
        }
        SimulatorOptions.AccessKey pair = keys.get(m.group(1));
        if (pair == null) {
            throw wrong("the access key is unknown");
        }
        String date = headers.getFirst("X-Sdk-Date");
        if (date == null) {
            throw wrong("X-Sdk-Date is missing");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(date, SDK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw wrong("X-Sdk-Date is not yyyyMMdd'T'HHmmss'Z'");
        }
        if (Duration.between(signedAt, now).abs().compareTo(SKEW) > 0) {
            throw new ApiError(401, "APIGW.0303", "Incorrect IAM authentication information: verify aksk signature fail,"
                    + " the request time differs from the server's by more than 15 minutes");
        }
        if (pair.securityToken() != null && !pair.securityToken().equals(headers.getFirst("X-Security-Token"))) {
            throw wrong("the security token is missing or wrong");
        }
        List<String> signed = List.of(m.group(2).toLowerCase(Locale.ROOT).split(";"));
        if (!signed.contains("host") || !signed.contains("x-sdk-date")) {
            throw wrong("SignedHeaders must include host and x-sdk-date");
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : new TreeMap<>(toMap(signed)).keySet()) {
            String value = headers.getFirst(name);
            if (value == null) {
                throw wrong("the signed header " + name + " is missing");
            }
            canonicalHeaders.append(name).append(':').append(value.trim()).append('\n');
        }
        String canonical = method + "\n" + uri(rawPath) + "\n" + query(rawQuery) + "\n" + canonicalHeaders + "\n"
                + String.join(";", new TreeMap<>(toMap(signed)).keySet()) + "\n" + hex(sha256(body));
        String toSign = "SDK-HMAC-SHA256\n" + date + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pair.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            expected = mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(m.group(3).toLowerCase(Locale.ROOT)))) {
            throw wrong("the signature does not match");
        }
    }

    private static Map<String, String> toMap(List<String> names) {
        Map<String, String> map = new TreeMap<>();
        names.forEach(n -> map.put(n, n));
        return map;
    }

    private static String uri(String rawPath) {
        StringBuilder out = new StringBuilder();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                out.append('/').append(escape(unescape(segment)));
            }
        }
        return out.append('/').toString();
    }

    private static String query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = escape(unescape(eq < 0 ? pair : pair.substring(0, eq)));
            String value = eq < 0 ? "" : escape(unescape(pair.substring(eq + 1)));
            pairs.add(key + "=" + value);
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static String unescape(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append(String.format("%%%02X", b & 0xff));
            }
        }
        return out.toString();
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

    private static ApiError wrong(String why) {
        return new ApiError(401, "APIGW.0301", "Incorrect IAM authentication information: verify aksk signature fail ("
                + why + ")");
    }
}
