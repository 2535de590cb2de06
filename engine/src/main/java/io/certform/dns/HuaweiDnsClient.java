package io.certform.dns;

import io.certform.api.ApiException;
import io.certform.api.GatewayCalls;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Huawei Cloud DNS's public-zone and record-set calls (as {@code huaweicloud-sdk-dns} 3.1.130 makes them), on an
 * okhttp client built by {@link io.certform.api.Transport} with the gateway's authentication (AK/SK signing or a
 * token) and redacting log, through the gateway's {@link GatewayCalls}. Every failure is a {@link DnsException}
 * naming the call, the zone or record, and what to check. Thread-safe.
 */
public final class HuaweiDnsClient {

    private static final MediaType JSON = MediaType.get("application/json;charset=utf-8");
    private static final int PAGE = 500;

    /** A public zone: its id and name ({@code example.com.}). */
    public record Zone(String id, String name) {
    }

    /** A record set: its id, name, type, values (TXT values quoted, as the API holds them) and status. */
    public record RecordSet(String id, String name, String type, List<String> records, String status) {
    }

    private final GatewayCalls calls;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpUrl base;

    /** @param baseUrl {@link #endpoint}'s answer, or a simulator's base URL */
    public HuaweiDnsClient(OkHttpClient http, String baseUrl) {
        this.calls = new GatewayCalls(http, json);
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new DnsException("'" + baseUrl + "' is not an http(s) URL: check the DNS endpoint");
        }
        this.base = parsed;
    }

    /** {@code https://dns.{region}.myhuaweicloud.com}, or {@code override} when the provider names an endpoint. */
    public static String endpoint(String region, String override) {
        if (override != null && !override.isBlank()) {
            return override.endsWith("/") ? override.substring(0, override.length() - 1) : override;
        }
        if (region == null || region.isBlank()) {
            throw new DnsException("Huawei Cloud DNS needs a region (provider.region, e.g. ap-southeast-1) or an"
                    + " endpoint");
        }
        return "https://dns." + region + ".myhuaweicloud.com";
    }

    /** Every public zone of the account. */
    public List<Zone> zones() {
        List<Zone> out = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            JsonNode page = get("list the public zones", url("v2/zones").addQueryParameter("type", "public")
                    .addQueryParameter("limit", Integer.toString(PAGE))
                    .addQueryParameter("offset", Integer.toString(offset)));
            JsonNode zones = page.path("zones");
            zones.forEach(z -> out.add(new Zone(z.path("id").asString(), z.path("name").asString())));
            int total = page.path("metadata").path("total_count").asInt(out.size());
            if (zones.size() < PAGE || out.size() >= total) {
                return out;
            }
        }
    }

    /** The host names of the zone's authoritative name servers, by priority. */
    public List<String> nameServers(Zone zone) {
        JsonNode answer = get("read the name servers of zone " + zone.name(),
                url("v2/zones", zone.id(), "nameservers"));
        List<String> out = new ArrayList<>();
        answer.path("nameservers").forEach(n -> out.add(n.path("hostname").asString()));
        return out;
    }

    /** The record sets of {@code type} named exactly {@code name} in {@code zone}. */
    public List<RecordSet> recordSets(Zone zone, String name, String type) {
        JsonNode answer = get("list the " + type + " record sets " + name + " in zone " + zone.name(),
                url("v2/zones", zone.id(), "recordsets").addQueryParameter("name", name)
                        .addQueryParameter("type", type));
        List<RecordSet> out = new ArrayList<>();
        for (JsonNode r : answer.path("recordsets")) {
            RecordSet set = recordSet(r);
            if (set.name().equalsIgnoreCase(name) && set.type().equalsIgnoreCase(type)) {
                out.add(set); // the API's name filter may match more than the exact name
            }
        }
        return out;
    }

    /** Creates a TXT record set; {@code values} unquoted (quoted here, as the API wants them). */
    public RecordSet createTxt(Zone zone, String name, List<String> values, int ttl) {
        ObjectNode body = json.createObjectNode();
        body.put("name", name);
        body.put("type", "TXT");
        body.put("ttl", ttl);
        values.forEach(v -> body.withArray("records").add(quote(v)));
        body.put("description", "certform dns-01 challenge");
        return recordSet(send("create the TXT record set " + name + " in zone " + zone.name(),
                new Request.Builder().url(url("v2/zones", zone.id(), "recordsets").build()).post(body(body))));
    }

    /** Replaces the values of a TXT record set ({@code values} unquoted). */
    public RecordSet updateTxt(Zone zone, RecordSet set, List<String> values) {
        ObjectNode body = json.createObjectNode();
        values.forEach(v -> body.withArray("records").add(quote(v)));
        return recordSet(send("update the TXT record set " + set.name() + " in zone " + zone.name(),
                new Request.Builder().url(url("v2/zones", zone.id(), "recordsets", set.id()).build())
                        .put(body(body))));
    }

    /** Deletes a record set; one already gone is not an error. */
    public void delete(Zone zone, RecordSet set) {
        try {
            send("delete the record set " + set.name() + " in zone " + zone.name(),
                    new Request.Builder().url(url("v2/zones", zone.id(), "recordsets", set.id()).build()).delete());
        } catch (DnsException e) {
            if (!(e.getCause() instanceof ApiException api && api.isNotFound())) {
                throw e;
            }
        }
    }

    /** A TXT value as the API holds it: in double quotes. */
    static String quote(String value) {
        return "\"" + value + "\"";
    }

    /** A TXT value as the API holds it, without its double quotes. */
    static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private RequestBody body(ObjectNode body) {
        return RequestBody.create(json.writeValueAsBytes(body), JSON);
    }

    private HttpUrl.Builder url(String... segments) {
        HttpUrl.Builder b = base.newBuilder();
        for (String s : segments) {
            b.addPathSegments(s);
        }
        return b;
    }

    private JsonNode get(String what, HttpUrl.Builder url) {
        return send(what, new Request.Builder().url(url.build()).get());
    }

    private JsonNode send(String what, Request.Builder request) {
        try {
            return calls.execute(request.build());
        } catch (ApiException e) {
            throw new DnsException("Huawei Cloud DNS: cannot " + what + ": " + e.getMessage() + hint(e), e);
        }
    }

    private static String hint(ApiException e) {
        if (e.isAuthFailure()) {
            return ": check the access key and secret key (or the token) and that the IAM user may manage DNS"
                    + " record sets (for example the DNS FullAccess policy)";
        }
        return "";
    }

    private static RecordSet recordSet(JsonNode r) {
        List<String> records = new ArrayList<>();
        r.path("records").forEach(v -> records.add(v.asString()));
        return new RecordSet(r.path("id").asString(), r.path("name").asString(), r.path("type").asString(),
                records, r.path("status").asString());
    }
}
