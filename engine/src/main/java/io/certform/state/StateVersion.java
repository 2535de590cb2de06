package io.certform.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One state the store keeps: the current one or a previous one.
 *
 * @param writtenAt when it was written
 * @param resources how many bindings it records
 */
public record StateVersion(@JsonProperty("serial") long serial,
                           @JsonProperty("lineage") String lineage,
                           @JsonProperty("written_at") Instant writtenAt,
                           @JsonProperty("certform_version") String certformVersion,
                           @JsonProperty("resources") int resources) {

    public static StateVersion of(State state, Instant writtenAt) {
        return new StateVersion(state.serial(), state.lineage(), writtenAt, state.certformVersion(),
                state.resources().size());
    }
}
