package io.certform.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Asks name servers directly (dnsjava's {@link SimpleResolver}, no recursion, no cache) whether a TXT record
 * answers a value, and waits until every one of them does: the CA asks the zone's authoritative servers, so a
 * record counts as published only when all of them answer it.
 */
public final class AuthoritativeCheck {

    private final List<InetSocketAddress> servers;
    private final Duration poll;
    private final Duration queryTimeout;

    /**
     * @param servers the servers to ask, each {@code host} (port 53) or {@code host:port} ({@code 127.0.0.1:5353});
     *                a zone's name servers, or the {@code resolvers:} override
     */
    public AuthoritativeCheck(List<String> servers, Duration poll, Duration queryTimeout) {
        if (servers.isEmpty()) {
            throw new DnsException("no name server to ask: the zone names none, and no resolvers are configured");
        }
        this.servers = servers.stream().map(AuthoritativeCheck::address).toList();
        this.poll = poll;
        this.queryTimeout = queryTimeout;
    }

    /** Returns once every server answers {@code value} in the TXT record {@code name}; throws at {@code limit}. */
    public void await(String name, String value, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> missing;
        while (true) {
            missing = new ArrayList<>();
            for (InetSocketAddress server : servers) {
                String seen = answers(server, name, value);
                if (seen != null) {
                    missing.add(server.getHostString() + ":" + server.getPort() + " answered " + seen);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() + poll.toNanos() > deadline) {
                throw new DnsException("the TXT record " + name + " did not answer \"" + value + "\" on every"
                        + " authoritative name server within " + limit.toSeconds() + " s (" + String.join("; ", missing)
                        + "): check that the record set exists in the zone, that these are the zone's name servers"
                        + " (or set resolvers:), and allow more time if the service is slow to publish");
            }
            sleep();
        }
    }

    /**
     * What each server answers now for the TXT record {@code name}, without waiting: {@code 127.0.0.1:5353 answered
     * "abc"}, {@code ... answered NXDOMAIN}, {@code ... answered no TXT record}, joined by {@code ; }.
     */
    public String describe(String name) {
        List<String> seen = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            seen.add(server.getHostString() + ":" + server.getPort() + " answered " + answers(server, name, null));
        }
        return String.join("; ", seen);
    }

    /** Null when {@code server} answers {@code value} at {@code name}, else what it answered (all, for a null value). */
    String answers(InetSocketAddress server, String name, String value) {
        try {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(queryTimeout);
            Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN));
            Message response = resolver.send(query);
            if (response.getRcode() != Rcode.NOERROR) {
                return Rcode.string(response.getRcode());
            }
            List<String> texts = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    String joined = String.join("", txt.getStrings());
                    if (joined.equals(value) && value != null) {
                        return null;
                    }
                    texts.add("\"" + joined + "\"");
                }
            }
            return texts.isEmpty() ? "no TXT record" : String.join(", ", texts);
        } catch (TextParseException e) {
            throw new DnsException("'" + name + "' is not a DNS name: " + e.getMessage());
        } catch (IOException e) {
            return "nothing (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsException("interrupted while waiting for the challenge record to be published");
        }
    }

    private static InetSocketAddress address(String server) {
        String host = server.trim();
        int port = 53;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(':') == colon) { // host:port; a bare IPv6 address has several colons
            try {
                port = Integer.parseInt(host.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new DnsException("resolver '" + server + "': the port is not a number (expected host or"
                        + " host:port, e.g. 127.0.0.1:5353)");
            }
            host = host.substring(0, colon);
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new DnsException("name server '" + host + "' cannot be resolved: check the resolvers: setting"
                    + " or this machine's DNS");
        }
    }
}
