package io.certform.api;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP debug log ({@code --log-http} or {@code CERTFORM_LOG_HTTP=1}): each request and answer with headers and
 * JSON bodies, with every secret redacted: {@code Authorization}, {@code X-Auth-Token}, {@code X-Security-Token},
 * {@code X-Subject-Token}, and the values of {@code private_key}, {@code password} and the like. PEM values are
 * shown by length only.
 */
public final class HttpLog implements Interceptor {

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "x-auth-token", "x-security-token",
            "x-subject-token");
    private static final Set<String> SECRET_FIELDS = Set.of("private_key", "password", "security_token", "sk",
            "secret_key", "private_key_passphrase", "token", "private_key_sign");
    private static final Set<String> PEM_FIELDS = Set.of("cert_content", "trusted_root_ca", "cert_content_sign");
    private static final String REDACTED = "(redacted)";

    private final PrintWriter log;
    private final String prefix;
    private final JsonMapper json = JsonMapper.builder().build();

    public HttpLog(PrintWriter log) {
        this(log, null);
    }

    /** @param label written in brackets before every line (which gateway a call went to), or null for none */
    public HttpLog(PrintWriter log, String label) {
        this.log = log;
        this.prefix = label == null ? null : "[" + label + "] ";
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        byte[] body = null;
        if (request.body() != null) {
            try (Buffer buffer = new Buffer()) {
                request.body().writeTo(buffer);
                body = buffer.readByteArray();
            }
        }
        long start = System.nanoTime();
        StringBuilder out = new StringBuilder("--> " + request.method() + " " + request.url() + "\n");
        headers(out, request.headers());
        if (body != null) {
            out.append("    ").append(redact(body)).append('\n');
        }
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            out.append("<-- failed: ").append(e.getClass().getSimpleName()).append(" after ")
                    .append((System.nanoTime() - start) / 1_000_000).append(" ms\n");
            write(out);
            throw e;
        }
        out.append("<-- ").append(response.code()).append(' ').append(request.url().encodedPath()).append(" (")
                .append((System.nanoTime() - start) / 1_000_000).append(" ms)\n");
        headers(out, response.headers());
        byte[] answer = response.peekBody(64 * 1024).bytes();
        if (answer.length > 0) {
            out.append("    ").append(redact(answer)).append('\n');
        }
        write(out);
        return response;
    }

    private synchronized void write(StringBuilder text) {
        if (prefix != null) {
            StringBuilder labelled = new StringBuilder(text.length() + 64);
            int start = 0;
            while (start < text.length()) {
                int end = text.indexOf("\n", start);
                end = end < 0 ? text.length() : end + 1;
                labelled.append(prefix).append(text, start, end);
                start = end;
            }
            text = labelled;
        }
        log.print(text);
        log.flush();
    }

    private static void headers(StringBuilder out, Headers headers) {
        for (kotlin.Pair<? extends String, ? extends String> h : headers) {
            String name = h.getFirst();
            out.append("    ").append(name).append(": ")
                    .append(SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT)) ? REDACTED : h.getSecond())
                    .append('\n');
        }
    }

    /** A body with its secrets replaced; a body that is not JSON is shown by size only. */
    String redact(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null) {
                return "(" + body.length + "-byte body)";
            }
            scrub(node);
            return json.writeValueAsString(node);
        } catch (JacksonException e) {
            return "(" + body.length + "-byte body, not JSON)";
        }
    }

    private static void scrub(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey().toLowerCase(Locale.ROOT);
                if (SECRET_FIELDS.contains(name) && field.getValue().isValueNode()) {
                    object.put(field.getKey(), REDACTED);
                } else if (PEM_FIELDS.contains(name) && field.getValue().isString()) {
                    object.put(field.getKey(), "(PEM, " + field.getValue().stringValue()
                            .getBytes(StandardCharsets.UTF_8).length + " bytes)");
                } else {
                    scrub(field.getValue());
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(HttpLog::scrub);
        }
    }
}
