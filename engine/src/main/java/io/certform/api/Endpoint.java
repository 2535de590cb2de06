package io.certform.api;

import io.certform.base.Service;

/**
 * Where the API is: {@code https://roma.cn-north-4.myhuaweicloud.com}, project {@code 0a1b...}, ROMA paths.
 *
 * @param baseUrl without a trailing slash
 */
public record Endpoint(String baseUrl, String projectId, Service service) {

    /** The default host of a service in a region, as Huawei Cloud names it. */
    public static String defaultBaseUrl(Service service, String region) {
        return "https://" + service.manifestName() + "." + region + ".myhuaweicloud.com";
    }
}
