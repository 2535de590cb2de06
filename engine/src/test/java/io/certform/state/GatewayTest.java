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
        assertSame(old, Gateway.check(old, (Gateway) null, "s.json", () -> false), "no gateway known: nothing checked");
    }

    private static final Gateway FRANKFURT = new Gateway("apig", "https://apig.eu-west-101.myhuaweicloud.eu", "p9");

    private static ResourceState binding(String address) {
        return new ResourceState(address, "shop", "i", "g", "d", "a.example.com", "s", "n", "global", null, "RSA",
                "aa", "bb", null, "01", "2030-01-01T00:00:00Z", "CA");
    }

    private static java.util.Map<String, Gateway> run(Object... nameAndGateway) {
        java.util.Map<String, Gateway> map = new java.util.HashMap<>();
        for (int i = 0; i < nameAndGateway.length; i += 2) {
            map.put((String) nameAndGateway[i], (Gateway) nameAndGateway[i + 1]);
        }
        return map;
    }

    @Test
    void check_perProvider_refusesAProvidersOtherGateway_namingTheProviderAndBoth() {
        State state = State.empty("t").next(List.of(binding("provider.eu.shop[a.example.com]")), "t")
                .withGateway(BEIJING).withGateway("eu", FRANKFURT);
        Gateway moved = new Gateway("apig", "https://apig.eu-west-101.myhuaweicloud.eu", "p10");
        StateException e = assertThrows(StateException.class,
                () -> Gateway.check(state, run("default", BEIJING, "eu", moved), "s.json", () -> false));
        assertTrue(e.getMessage().contains("describes another gateway for the provider 'eu': it records apig at"
                + " https://apig.eu-west-101.myhuaweicloud.eu, project p9, and the manifest's provider 'eu' names apig"
                + " at https://apig.eu-west-101.myhuaweicloud.eu, project p10. Nothing was read or sent."),
                e.getMessage());
        Gateway otherDefault = new Gateway("roma", BEIJING.endpoint(), "p2");
        StateException d = assertThrows(StateException.class,
                () -> Gateway.check(state, run("default", otherDefault, "eu", FRANKFURT), "s.json", () -> false));
        assertTrue(d.getMessage().startsWith("the state s.json describes another gateway: it records roma at"),
                "the default provider keeps its message: " + d.getMessage());
    }

    @Test
    void check_refusesObjectsOfAProviderTheRunDoesNotName_namingItAndTheirCount() {
        State state = State.empty("t").next(List.of(binding("shop[a.example.com]"),
                binding("provider.eu.shop[a.example.com]"), binding("provider.eu.shop[b.example.com]"),
                binding("provider.eu.shop[b.example.com]").deposedRecord()), "t")
                .withGateway(BEIJING).withGateway("eu", FRANKFURT);
        StateException e = assertThrows(StateException.class,
                () -> Gateway.check(state, run("default", BEIJING), "s.json", () -> false));
        assertEquals("the state s.json records 3 object(s) of the provider 'eu', which the manifest does not name;"
                + " it names 'default'. Nothing was read or sent. Keep the provider block until its bindings are"
                + " destroyed, or 'certform state rm' them.", e.getMessage());
        StateException n = assertThrows(StateException.class,
                () -> Gateway.check(state, run("eu", FRANKFURT), "s.json", () -> false));
        assertTrue(n.getMessage().contains("records 1 object(s) of the provider 'default'"), n.getMessage());
    }

    @Test
    void check_recordsAProviderNotRecordedYet_keepsTheOthers_andDropsAGoneProviderWithNothingLeft() throws Exception {
        State state = State.empty("t").next(List.of(binding("shop[a.example.com]")), "t").withGateway(BEIJING)
                .withGateway("gone", FRANKFURT);
        State checked = Gateway.check(state, run("default", BEIJING, "eu", FRANKFURT), "s.json", () -> false);
        assertEquals(java.util.Map.of("default", BEIJING, "eu", FRANKFURT), checked.gateways());
        assertEquals(checked.gateways(), checked.next(List.of(), "t").gateways(), "kept by the next version");
        State pending = Gateway.check(state, run("default", BEIJING, "eu", FRANKFURT), "s.json", () -> true);
        assertEquals(java.util.Map.of("default", BEIJING), pending.gateways(),
                "not recorded while an earlier run's journal is pending");
        State unknown = Gateway.check(state, run("default", null), "s.json", () -> false);
        assertEquals(java.util.Map.of("default", BEIJING), unknown.gateways(), "a gateway not known: nothing checked");
    }

    @Test
    void providerOf_readsTheProviderFromTheAddress() {
        assertEquals("default", ResourceState.providerOf("shop[a.example.com]"));
        assertEquals("default", ResourceState.providerOf("shop"));
        assertEquals("default", ResourceState.providerOf("provider[a.example.com]"), "a certificate named provider");
        assertEquals("eu-1", ResourceState.providerOf("provider.eu-1.shop[a.example.com]"));
        assertEquals("eu", ResourceState.providerOf("provider.eu.wild"));
        assertEquals("eu", binding("provider.eu.shop[a.b.c]").deposedRecord().provider());
    }
}
