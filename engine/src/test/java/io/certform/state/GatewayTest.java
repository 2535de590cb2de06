package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The rule that ties a state to its gateway. */
class GatewayTest {

    private static final Gateway BEIJING = new Gateway("roma", "https://roma.cn-north-4.myhuaweicloud.com", "p1");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "roma | https://roma.cn-north-4.myhuaweicloud.com  | p1 | true",
            "roma | HTTPS://Roma.cn-north-4.myhuaweicloud.com/ | p1 | true",
            "roma | https://roma.ap-southeast-1.myhuaweicloud.com | p1 | false",
            "roma | https://roma.cn-north-4.myhuaweicloud.com  | p2 | false",
            "apig | https://roma.cn-north-4.myhuaweicloud.com  | p1 | false",
            "roma | embedded                                   | p1 | false"})
    void sameAs_comparesServiceProjectAndEndpoint(String service, String endpoint, String project, boolean same) {
        assertEquals(same, BEIJING.sameAs(new Gateway(service, endpoint, project)));
    }

    @Test
    void check_refusesAnotherGateway_namingBoth() {
        State state = State.empty("t").next(List.of(), "t").withGateway(BEIJING);
        Gateway other = new Gateway("roma", "https://roma.cn-north-4.myhuaweicloud.com", "p2");
        StateException e = assertThrows(StateException.class, () -> Gateway.check(state, other, "s.json", () -> false));
        assertTrue(e.getMessage().contains("it records roma at https://roma.cn-north-4.myhuaweicloud.com, project p1,"
                + " and the manifest names roma at https://roma.cn-north-4.myhuaweicloud.com, project p2"),
                e.getMessage());
    }

    @Test
    void check_givesAStateWithoutOneTheCurrentGateway_unlessAnEarlierRunsJournalIsPending() throws Exception {
        State old = State.empty("t").next(List.of(), "t");
        assertEquals(BEIJING, Gateway.check(old, BEIJING, "s.json", () -> false).gateway());
        assertSame(old, Gateway.check(old, BEIJING, "s.json", () -> true));
        assertEquals(BEIJING, Gateway.check(old, BEIJING, "s.json", () -> false).next(List.of(), "t").gateway(),
                "kept by the next version");
        assertSame(old, Gateway.check(old, null, "s.json", () -> false), "no gateway known: nothing checked");
    }
}
