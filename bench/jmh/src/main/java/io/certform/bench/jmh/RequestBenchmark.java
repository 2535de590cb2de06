package io.certform.bench.jmh;

import io.certform.api.AddCertificateRequest;
import io.certform.api.AkSkSigner;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.base.Secret;
import io.certform.base.Service;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's side of one add-certificate call without the network: the JSON body (a 3 KB bundle and a key),
 * the URL, okhttp's call path up to the wire, and reading the API's answer. An interceptor stands in for the
 * socket, so the figure is certform's and okhttp's CPU per binding. Also: one AK/SK signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestBenchmark {

    private static final String ANSWER = "{\"id\":\"dom1\",\"url_domain\":\"d1.z0.example.com\","
            + "\"ssl_id\":\"0123456789abcdef0123456789abcdef\",\"ssl_name\":\"site_0\"}";

    private GatewayClient client;
    private AddCertificateRequest request;
    private DomainLocation at;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() {
        MediaType json = MediaType.get("application/json");
        OkHttpClient http = new OkHttpClient.Builder().addInterceptor(chain -> {
            Buffer sent = new Buffer();
            chain.request().body().writeTo(sent); // the body is serialised, as the socket would
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(201)
                    .message("Created").body(ResponseBody.create(ANSWER, json)).build();
        }).build();
        client = new GatewayClient(http, new Endpoint("http://127.0.0.1:9", "bench0project", Service.ROMA));
        StringBuilder pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        for (int i = 0; i < 40; i++) {
            pem.append("MIIDdzCCAl+gAwIBAgIEbench0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH\n");
        }
        pem.append("-----END CERTIFICATE-----\n");
        request = new AddCertificateRequest("site_0", pem.toString(),
                new Secret("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
                        + "-----END PRIVATE KEY-----\n", "file certs/wild0.key", null), "global", null, null);
        at = new DomainLocation("inst1", "g0", "dom1");
        body = pem.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Benchmark
    public CertificateBinding addCertificate() {
        return client.addCertificate(at, request);
    }

    @Benchmark
    public String akSkSignature() {
        return AkSkSigner.signature("secret-key", "POST", "/v2/bench0project/apic/instances/inst1/api-groups/g0"
                + "/domains/dom1/certificate", null, java.util.Map.of("content-type", "application/json",
                "host", "127.0.0.1:9", "x-sdk-date", "20261128T100000Z"), body, "20261128T100000Z");
    }
}
