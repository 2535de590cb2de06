package io.certform.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of the write-ahead journal.
 *
 * <ul>
 *   <li>{@code intent}: a call is about to be sent ({@code op} bind or unbind); durable before it is sent;</li>
 *   <li>{@code done}: the call succeeded; {@code resource} is the binding now recorded (null after an unbind);</li>
 *   <li>{@code void}: the call did not happen (refused, or found not to have happened).</li>
 * </ul>
 *
 * @param planned  for a bind intent: the binding as it will be recorded, less the ssl_id the API will give
 * @param oldSslId the certificate on the domain before the call (null for a new binding)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalRecord(@JsonProperty("kind") String kind,
                            @JsonProperty("op") String op,
                            @JsonProperty("address") String address,
                            @JsonProperty("old_ssl_id") String oldSslId,
                            @JsonProperty("planned") ResourceState planned,
                            @JsonProperty("unbound") ResourceState unbound,
                            @JsonProperty("resource") ResourceState resource) {

    public static final String INTENT = "intent";
    public static final String DONE = "done";
    public static final String VOID = "void";
    public static final String BIND = "bind";
    public static final String UNBIND = "unbind";

    public static JournalRecord intendBind(ResourceState planned, String oldSslId) {
        return new JournalRecord(INTENT, BIND, planned.address(), oldSslId, planned, null, null);
    }

    public static JournalRecord intendUnbind(ResourceState recorded) {
        return new JournalRecord(INTENT, UNBIND, recorded.address(), recorded.sslId(), null, recorded, null);
    }

    public static JournalRecord bound(ResourceState resource) {
        return new JournalRecord(DONE, BIND, resource.address(), null, null, null, resource);
    }

    public static JournalRecord unbound(String address) {
        return new JournalRecord(DONE, UNBIND, address, null, null, null, null);
    }

    public static JournalRecord voided(String address) {
        return new JournalRecord(VOID, null, address, null, null, null, null);
    }
}
