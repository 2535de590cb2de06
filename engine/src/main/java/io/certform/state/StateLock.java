package io.certform.state;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who holds the state lock.
 *
 * @param id        what {@code certform force-unlock} takes
 * @param operation e.g. {@code apply}
 * @param who       {@code user@host}
 * @param created   ISO-8601 instant
 */
public record StateLock(@JsonProperty("id") String id, @JsonProperty("operation") String operation,
                        @JsonProperty("who") String who, @JsonProperty("pid") long pid,
                        @JsonProperty("created") String created, @JsonProperty("host") String host) {
}
