package io.certform.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published vectors of Huawei's SDK tests (reference/API.md), byte for byte, and a POST with a body. */
class AkSkSignerTest {

    private static final String PATH = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs";
    private static final String QUERY = "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0";
    private static final String DATE = "20191115T033655Z";

    @Test
    void publishedVector_withContentTypeSigned() {
        String signature = AkSkSigner.signature("MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", "GET", PATH, QUERY,
                Map.of("content-type", "application/json", "host", "service.region.example.com", "x-sdk-date", DATE),
                new byte[0], DATE);
        assertEquals("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe", signature);
    }

    @Test
    void publishedVector_withHostAndDateSigned() {
        String signature = AkSkSigner.signature("SecretKey", "GET", PATH, QUERY,
                Map.of("host", "service.region.example.com", "x-sdk-date", DATE), new byte[0], DATE);
        assertEquals("fd95e7da6f695cfb4cabbb9d6b0968aec155bc576b064835282473539ae9ea1d", signature);
    }

    @Test
    void canonicalRequest_ofAPostWithABody() {
        byte[] body = "{\"name\":\"cert_demo\"}".getBytes(StandardCharsets.UTF_8);
        String canonical = AkSkSigner.canonicalRequest("POST",
                "/v2/proj1/apic/instances/inst1/api-groups/g1/domains/d1/certificate", null,
                Map.of("host", "roma.cn-north-4.myhuaweicloud.com", "x-sdk-date", DATE), body);
        assertEquals("POST\n/v2/proj1/apic/instances/inst1/api-groups/g1/domains/d1/certificate/\n\n"
                + "host:roma.cn-north-4.myhuaweicloud.com\nx-sdk-date:20191115T033655Z\n\nhost;x-sdk-date\n"
                + "86acf800c76b5df7105441d696647cf0cddd34ccafb77dcaac1bdb4807f0560d", canonical);
        // expected values computed outside certform: sha256sum for the body and the canonical request,
        // then openssl dgst -sha256 -hmac SecretKey over the string to sign
        assertEquals("1392348be10a69e56f2f04c4202a21a57881252fd0601c687796a64eaf103c86", AkSkSigner.signature(
                "SecretKey", "POST", "/v2/proj1/apic/instances/inst1/api-groups/g1/domains/d1/certificate", null,
                Map.of("host", "roma.cn-north-4.myhuaweicloud.com", "x-sdk-date", DATE), body, DATE));
    }

    @Test
    void canonicalUri_encodesSegments_andEndsEachWithASlash() {
        assertEquals("/", AkSkSigner.canonicalUri("/"));
        assertEquals("/v2/x/y/", AkSkSigner.canonicalUri("/v2/x/y"));
        assertEquals("/a%20b/c~d/", AkSkSigner.canonicalUri("/a%20b/c~d"));
        assertEquals("a=1&b=2&b=3", AkSkSigner.canonicalQuery("b=3&a=1&b=2"));
    }
}
