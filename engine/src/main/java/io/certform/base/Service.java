package io.certform.base;

/** Which gateway service the manifest targets; decides the path prefix and the default host. */
public enum Service {
    /** ROMA Connect APIC: paths under {@code /apic/}, host {@code roma.{region}.myhuaweicloud.com}. */
    ROMA("roma", "apic"),
    /** Dedicated API Gateway: paths under {@code /apigw/}, host {@code apig.{region}.myhuaweicloud.com}. */
    APIG("apig", "apigw");

    private final String manifestName;
    private final String pathPrefix;

    Service(String manifestName, String pathPrefix) {
        this.manifestName = manifestName;
        this.pathPrefix = pathPrefix;
    }

    public String manifestName() {
        return manifestName;
    }

    public String pathPrefix() {
        return pathPrefix;
    }

    public static Service fromManifest(String name) {
        for (Service s : values()) {
            if (s.manifestName.equals(name)) {
                return s;
            }
        }
        return null;
    }
}
