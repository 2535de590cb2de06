package io.certform.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state format as databind wrote it from the annotations {@link State}, {@link Gateway}, {@link ResourceState}
 * and {@link StateLock} carried before {@link StateCodec} was the only encoding: kept here, as mix-ins, as the
 * oracle the codec is compared with byte for byte (and what saved plans were written with).
 */
public final class DatabindForm {

    private DatabindForm() {
    }

    /** {@code builder} with the annotations the state's records once carried. */
    public static JsonMapper.Builder annotate(JsonMapper.Builder builder) {
        return builder.addMixIn(State.class, StateForm.class)
                .addMixIn(Gateway.class, GatewayForm.class)
                .addMixIn(ResourceState.class, ResourceForm.class)
                .addMixIn(ResourceState.Seen.class, SeenForm.class)
                .addMixIn(StateLock.class, LockForm.class);
    }

    /**
     * {@code builder} with the annotations of the state document of format 3: {@link #annotate} with a resource's
     * {@code provider} after its address (the journal's records and saved plans keep {@link #annotate}'s form).
     */
    public static JsonMapper.Builder annotateState(JsonMapper.Builder builder) {
        return annotate(builder).addMixIn(ResourceState.class, StateResourceForm.class);
    }

    @JsonPropertyOrder({"format_version", "certform_version", "lineage", "serial", "gateways", "resources", "rollout"})
    abstract static class StateForm {
        @JsonProperty("format_version") abstract int formatVersion();

        @JsonProperty("certform_version") abstract String certformVersion();

        @JsonProperty("lineage") abstract String lineage();

        @JsonProperty("serial") abstract long serial();

        @JsonIgnore abstract Gateway gateway();

        @JsonProperty("gateways") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract java.util.Map<String, Gateway> gateways();

        @JsonProperty("resources") abstract List<ResourceState> resources();

        @JsonProperty("rollout") @JsonInclude(JsonInclude.Include.NON_NULL) abstract RolloutProgress rollout();
    }

    @JsonPropertyOrder({"service", "endpoint", "project_id"})
    abstract static class GatewayForm {
        @JsonProperty("service") abstract String service();

        @JsonProperty("endpoint") abstract String endpoint();

        @JsonProperty("project_id") abstract String projectId();
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"address", "deposed", "certificate", "instance_id", "group_id", "domain_id", "url_domain",
        "ssl_id", "ssl_name", "type", "certificate_instance_id", "algorithm_type", "cert_sha256", "chain_sha256",
        "trusted_root_ca_sha256", "serial_number", "not_after", "issuer", "san", "public_key_sha256", "bound_at",
        "model", "verified_at", "seen"})
    abstract static class ResourceForm {
        @JsonProperty("address") abstract String address();

        @JsonProperty("deposed") @JsonInclude(JsonInclude.Include.NON_NULL) abstract String deposedKey();

        @JsonProperty("certificate") abstract String certificate();

        @JsonProperty("instance_id") abstract String instanceId();

        @JsonProperty("group_id") abstract String groupId();

        @JsonProperty("domain_id") abstract String domainId();

        @JsonProperty("url_domain") abstract String urlDomain();

        @JsonProperty("ssl_id") abstract String sslId();

        @JsonProperty("ssl_name") abstract String sslName();

        @JsonProperty("type") abstract String type();

        @JsonProperty("certificate_instance_id") abstract String certificateInstanceId();

        @JsonProperty("algorithm_type") abstract String algorithmType();

        @JsonProperty("cert_sha256") abstract String certSha256();

        @JsonProperty("chain_sha256") abstract String chainSha256();

        @JsonProperty("trusted_root_ca_sha256") abstract String trustedRootCaSha256();

        @JsonProperty("serial_number") abstract String serialNumber();

        @JsonProperty("not_after") abstract String notAfter();

        @JsonProperty("issuer") abstract String issuer();

        @JsonProperty("public_key_sha256") abstract String publicKeySha256();

        @JsonProperty("bound_at") abstract String boundAt();

        @JsonProperty("san") abstract List<String> san();

        @JsonProperty("model") @JsonInclude(JsonInclude.Include.NON_NULL) abstract String model();

        @JsonProperty("verified_at") @JsonInclude(JsonInclude.Include.NON_NULL) abstract String verifiedAt();

        @JsonProperty("seen") @JsonInclude(JsonInclude.Include.NON_NULL) abstract ResourceState.Seen seen();
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"address", "provider", "deposed", "certificate", "instance_id", "group_id", "domain_id",
        "url_domain", "ssl_id", "ssl_name", "type", "certificate_instance_id", "algorithm_type", "cert_sha256",
        "chain_sha256", "trusted_root_ca_sha256", "serial_number", "not_after", "issuer", "san", "public_key_sha256",
        "bound_at", "model", "verified_at", "seen"})
    abstract static class StateResourceForm extends ResourceForm {
        @JsonProperty(value = "provider", access = JsonProperty.Access.READ_ONLY) abstract String provider();
    }

    @JsonPropertyOrder({"ssl_id", "ssl_name", "serial_number", "not_after", "seen_at"})
    abstract static class SeenForm {
        @JsonProperty("ssl_id") abstract String sslId();

        @JsonProperty("ssl_name") abstract String sslName();

        @JsonProperty("serial_number") abstract String serialNumber();

        @JsonProperty("not_after") abstract String notAfter();

        @JsonProperty("seen_at") abstract String seenAt();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract static class LockForm {
        @JsonProperty("id") abstract String id();

        @JsonProperty("operation") abstract String operation();

        @JsonProperty("who") abstract String who();

        @JsonProperty("pid") abstract long pid();

        @JsonProperty("created") abstract String created();

        @JsonProperty("host") abstract String host();

        @JsonProperty("expires") abstract String expires();
    }
}
