package io.certform.acme;

import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.dns.Dns01Solver;
import io.certform.dns.HuaweiDnsClient;
import io.certform.dns.HuaweiDnsSolver;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testing.Pebble;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;

/**
 * A simulator whose world holds the zones {@code example.com.} and {@code example.org.} and answers DNS on a
 * loopback port, and a pebble that validates through it: what the ACME tests share.
 */
final class AcmePebbleFixture implements AutoCloseable {

    static final String TOKEN = "acme-test-token";
    static final AcmeIssuer.Settings FAST = new AcmeIssuer.Settings(Duration.ofMillis(100), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(20));

    final Simulator simulator;
    final World world;
    final Pebble pebble;

    private AcmePebbleFixture(Simulator simulator, World world, Pebble pebble) {
        this.simulator = simulator;
        this.world = world;
        this.pebble = pebble;
    }

    static AcmePebbleFixture start(Path dir, java.util.function.UnaryOperator<Pebble.Builder> shape) throws Exception {
        Pebble.assumeInstalled();
        World world = new World();
        world.dns().addZone("example.com.");
        world.dns().addZone("example.org.");
        Simulator simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of(TOKEN)), 0);
        try {
            simulator.serveDns(0);
            Pebble pebble = shape.apply(Pebble.builder(simulator.dnsPort())).start(dir.resolve("pebble"));
            return new AcmePebbleFixture(simulator, world, pebble);
        } catch (Exception | Error e) {
            simulator.close();
            throw e;
        }
    }

    /** The Huawei Cloud DNS solver on the simulator's API, waiting on its DNS port. */
    HuaweiDnsSolver huaweiSolver() {
        HuaweiDnsClient client = new HuaweiDnsClient(TestHttp.client(new TokenAuth(TOKEN), Duration.ofSeconds(10)),
                simulator.baseUrl());
        return new HuaweiDnsSolver(client, List.of(resolver()), Duration.ofMillis(50));
    }

    String resolver() {
        return "127.0.0.1:" + simulator.dnsPort();
    }

    AcmeRequest request(KeyType type, String... names) {
        return AcmeRequest.of(pebble.directoryUrl(), type, List.of(names)).withTrust(pebble.trust())
                .withContacts(List.of("mailto:ops@example.com"));
    }

    /** Every TXT record set the simulator's zones hold. */
    List<String> txtRecords() {
        List<String> out = new ArrayList<>();
        world.dns().recordSets(null, null, "TXT").forEach(r -> out.add(r.name() + " " + r.records()));
        return out;
    }

    /** The orders the CA holds for the account of {@code accountKey} (the account's orders list, RFC 8555 7.1.2.1). */
    int orders(AcmeRequest request, KeyPair accountKey) throws Exception {
        Login login = new AccountBuilder().onlyExisting().useKeyPair(accountKey)
                .createLogin(AcmeSessions.open(request, Duration.ofSeconds(10)));
        int count = 0;
        for (Iterator<Order> it = login.getAccount().getOrders(); it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    /** A solver that plays dead after {@code journal}'s kill, and counts its actions as steps that may be killed. */
    static Dns01Solver killable(Dns01Solver inner, RecordingJournal journal) {
        return new Dns01Solver() {
            @Override
            public Challenge present(String domain, String value) {
                journal.alive("present");
                Challenge c = inner.present(domain, value);
                journal.step("present " + domain);
                return c;
            }

            @Override
            public void awaitVisible(Challenge challenge, Duration limit) {
                journal.alive("awaitVisible");
                inner.awaitVisible(challenge, limit);
                journal.step("visible " + challenge.domain());
            }

            @Override
            public void cleanup(Challenge challenge) {
                journal.alive("cleanup");
                inner.cleanup(challenge);
                journal.step("cleanup " + challenge.domain());
            }

            @Override
            public List<String> nameServers(Challenge challenge) {
                return inner.nameServers(challenge);
            }
        };
    }

    /** Order keys that count keeping one as a step that may be killed. */
    static OrderKeys killable(OrderKeys inner, RecordingJournal journal) {
        return new OrderKeys() {
            @Override
            public java.util.Optional<KeyPair> find(String orderUrl) {
                return inner.find(orderUrl);
            }

            @Override
            public void keep(String orderUrl, KeyPair key) {
                journal.alive("keep the order key");
                inner.keep(orderUrl, key);
                journal.step("orderKeyKept");
            }
        };
    }

    @Override
    public void close() {
        pebble.close();
        simulator.close();
    }
}
