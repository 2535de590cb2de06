package io.certform.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.base.Secret;
import io.certform.base.Service;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayClientTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nTESTKEYMATERIAL\n-----END PRIVATE KEY-----\n";
    private static final String ROMA = "/v2/proj1/apic/instances/inst1/api-groups/grp1/domains/dom1/certificate";
    private static final DomainLocation AT = new DomainLocation("inst1", "grp1", "dom1");

    private GatewayClient client(Service service) {
        return new GatewayClient(TestHttp.client(new TokenAuth("tok-123"), Duration.ofSeconds(10)),
                new Endpoint(wm.baseUrl(), "proj1", service));
    }

    private static AddCertificateRequest request() {
        return new AddCertificateRequest("cert_demo", "CERT PEM", new Secret(KEY, "env K", null), "global", null, null);
    }

    @Test
    void addCertificate_postsTheDocumentedBody_withTheToken() {
        wm.stubFor(post(ROMA).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"ssl_name":"cert_demo","url_domain":"www.example.com","ssl_id":"a27be832f2e9441c8127fe48e3b5ac67",
                         "id":" f6bb84ccf1c34035878aa51b7253b21c","status":3}""")));
        CertificateBinding bound = client(Service.ROMA).addCertificate(AT, request());
        wm.verify(postRequestedFor(urlEqualTo(ROMA))
                .withHeader("X-Auth-Token", equalTo("tok-123"))
                .withHeader("Content-Type", matching("application/json.*"))
                .withHeader("User-Agent", equalTo("certform/test"))
                .withRequestBody(equalToJson("""
                        {"name":"cert_demo","cert_content":"CERT PEM","private_key":"%s","type":"global"}"""
                        .formatted(KEY.replace("\n", "\\n")))));
        assertEquals("f6bb84ccf1c34035878aa51b7253b21c", bound.domainId(), "the documented leading space is trimmed");
        assertEquals("a27be832f2e9441c8127fe48e3b5ac67", bound.sslId());
        assertEquals("cert_demo", bound.sslName());
        assertEquals("www.example.com", bound.urlDomain());
    }

    @Test
    void addCertificate_onApiGateway_usesApigwPaths_andSendsInstanceScopeAndRootCa() {
        String path = "/v2/proj1/apigw/instances/inst1/api-groups/grp1/domains/dom1/certificate";
        wm.stubFor(post(path).willReturn(aResponse().withStatus(201).withBody("{\"id\":\"dom1\",\"ssl_id\":\"s1\"}")));
        client(Service.APIG).addCertificate(AT, new AddCertificateRequest("cert_demo", "CERT", new Secret(KEY, "k", null),
                "instance", "inst1", "ROOT CA PEM"));
        wm.verify(postRequestedFor(urlEqualTo(path)).withRequestBody(equalToJson("""
                {"name":"cert_demo","cert_content":"CERT","private_key":"%s","type":"instance","instance_id":"inst1",
                 "trusted_root_ca":"ROOT CA PEM"}""".formatted(KEY.replace("\n", "\\n")))));
    }

    /**
     * A success that does not name the certificate it bound (a proxy's 201 {}, a bare 200, an empty ssl_id, a body
     * that is not JSON) may have been carried out, and says nothing of what the domain carries: an unknown outcome,
     * to be settled by looking, never a binding with no ssl_id.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"201|{}", "200|", "201|{\"id\":\"dom1\",\"ssl_id\":\"\"}",
            "201|{\"id\":\"dom1\",\"ssl_id\":null}", "200|<html>OK</html>"})
    void addCertificate_aSuccessThatNamesNoSslId_isAnUnknownOutcome(int status, String body) {
        wm.stubFor(post(ROMA).willReturn(aResponse().withStatus(status).withBody(body == null ? "" : body)));
        ApiException e = assertThrows(ApiException.class, () -> client(Service.ROMA).addCertificate(AT, request()));
        assertTrue(e.isOutcomeUnknown(), e.getMessage());
        assertEquals(status, e.status());
        assertFalse(e.getMessage().contains("TESTKEYMATERIAL"), e.getMessage());
    }

    /** The same hole on the shared model's create: a success without the certificate's id is looked for. */
    @Test
    void createCertificate_aSuccessThatNamesNoId_isAnUnknownOutcome() {
        wm.stubFor(post("/v2/proj1/apigw/certificates").willReturn(aResponse().withStatus(201).withBody("{}")));
        ApiException e = assertThrows(ApiException.class, () -> client(Service.APIG).createCertificate(
                new CertificateForm("wild", "CERT", new Secret(KEY, "k", null), "global", null, null, null, null,
                        null)));
        assertTrue(e.isOutcomeUnknown(), e.getMessage());
        assertEquals("HTTP 201: the answer names no id", e.getMessage());
    }

    @Test
    void deleteCertificate_sendsDeleteWithTheSslId_andAccepts204() {
        wm.stubFor(delete(ROMA + "/ssl-9").willReturn(aResponse().withStatus(204)));
        client(Service.ROMA).deleteCertificate(AT, "ssl-9");
        wm.verify(deleteRequestedFor(urlEqualTo(ROMA + "/ssl-9")).withHeader("X-Auth-Token", equalTo("tok-123"))
                .withRequestBody(absent()));
    }

    @Test
    void showGroup_readsEveryDomainWithItsCertificate() {
        wm.stubFor(get("/v2/proj1/apic/instances/inst1/api-groups/grp1").willReturn(aResponse().withStatus(200)
                .withBody("""
                        {"id":"grp1","name":"g","url_domains":[
                          {"id":"d1","domain":"api.example.com","cname_status":3,"ssl_id":"s1","ssl_name":"n1"},
                          {"id":"d2","domain":"www.example.com","cname_status":3,"ssl_id":"","ssl_name":""}]}""")));
        GroupDetail group = client(Service.ROMA).showGroup("inst1", "grp1");
        assertEquals(List.of(new GroupDetail.Domain("d1", "api.example.com", "s1", "n1"),
                new GroupDetail.Domain("d2", "www.example.com", "", "")), group.domains());
        assertEquals("d2", group.byName("WWW.example.com").orElseThrow().id());
    }

    @Test
    void showCertificate_readsTheMetadata() {
        wm.stubFor(get(ROMA + "/s1").willReturn(aResponse().withStatus(200).withBody("""
                {"id":"s1","name":"n1","type":"global","common_name":"api.example.com","san":["api.example.com"],
                 "not_before":"2026-01-01T00:00:00Z","not_after":"2031-08-16T06:36:13Z","serial_number":"5a01",
                 "algorithm_type":"RSA","issuer":["Test CA"]}""")));
        CertificateDetail detail = client(Service.ROMA).showCertificate(AT, "s1");
        assertEquals("5a01", detail.serialNumber());
        assertEquals("2031-08-16T06:36:13Z", detail.notAfter());
        assertEquals(List.of("api.example.com"), detail.san());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | APIG.2012 | Invalid parameter value,parameterName:name. Please refer to the support documentation | false | false
            400 | APIG.2101 | The certificate does not match the private key | false | false
            401 | APIG.1002 | Incorrect token or token resolution failed | true | false
            403 | APIG.1005 | No permissions to request this method | true | false
            404 | APIG.3020 | The URL domain does not exist | false | true
            500 | APIG.9999 | System error | false | false
            """)
    void errorBodies_becomeTypedErrors(int status, String code, String message, boolean auth, boolean notFound) {
        wm.stubFor(post(ROMA).willReturn(aResponse().withStatus(status).withHeader("X-Request-Id", "req-1")
                .withBody("{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\"}")));
        ApiException e = assertThrows(ApiException.class, () -> client(Service.ROMA).addCertificate(AT, request()));
        assertEquals(status, e.status());
        assertEquals(code, e.errorCode());
        assertEquals(message, e.errorMessage());
        assertEquals("req-1", e.requestId());
        assertEquals(auth, e.isAuthFailure());
        assertEquals(notFound, e.isNotFound());
        assertEquals(code + " (HTTP " + status + "): " + message, e.getMessage());
        assertFalse(e.getMessage().contains("TESTKEYMATERIAL"), "no key material in errors");
    }

    @Test
    void answerWithoutErrorBody_isDescribedByStatus() {
        wm.stubFor(post(ROMA).willReturn(aResponse().withStatus(502).withBody("<html>bad gateway</html>")));
        ApiException e = assertThrows(ApiException.class, () -> client(Service.ROMA).addCertificate(AT, request()));
        assertEquals(502, e.status());
        assertNull(e.errorCode());
        assertEquals("HTTP 502: unexpected answer without an error body", e.getMessage());
    }

    @Test
    void conflictCode_isRecognised() {
        wm.stubFor(post(ROMA).willReturn(aResponse().withStatus(400)
                .withBody("{\"error_code\":\"APIG.3400\",\"error_msg\":\"The resource cannot be changed.\"}")));
        ApiException e = assertThrows(ApiException.class, () -> client(Service.ROMA).addCertificate(AT, request()));
        assertTrue(e.isConflict());
    }

    @Test
    void unreachableEndpoint_isNotRetried_namingTheTargetAndWhatToCheck() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint("http://127.0.0.1:" + port, "proj1", Service.ROMA));
        ApiException e = assertThrows(ApiException.class, () -> client.deleteCertificate(AT, "s1"));
        assertEquals(0, e.status());
        assertEquals("cannot connect to http://127.0.0.1:" + port + ": connection refused (nothing listens on port "
                + port + " of 127.0.0.1): check the host and port of provider.endpoint", e.getMessage());
        assertTrue(e.isUnreachable());
        assertFalse(e.isRetryable(), "the same on every attempt");
        assertFalse(e.isOutcomeUnknown(), "the request never left");
    }

    @Test
    void unresolvableHost_isNotRetried_namingTheHost() {
        GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint("http://no-such-host.invalid", "proj1", Service.ROMA));
        ApiException e = assertThrows(ApiException.class, () -> client.showGroup("inst1", "grp1"));
        assertTrue(e.getMessage().startsWith("cannot resolve the host name no-such-host.invalid"), e.getMessage());
        assertTrue(e.isUnreachable());
        assertFalse(e.isRetryable());
    }

    @Test
    void requestToString_hidesTheKey() {
        assertFalse(request().toString().contains("TESTKEYMATERIAL"));
        assertFalse(new TokenAuth("tok-123").toString().contains("tok-123"));
    }
}
