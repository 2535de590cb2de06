package io.certform.simulator;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server on 127.0.0.1, UDP and TCP on one port ({@code --dns-port}), for the zones of a
 * world's {@link DnsZones}: TXT from their record sets, SOA and NS at each apex; NXDOMAIN for a name with no record
 * set, REFUSED for a name in no zone. What the API holds is answered at once (no propagation delay).
 */
final class DnsServer implements AutoCloseable {

    private static final long TTL = 300;

    private final DnsZones zones;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "simulator-dns");
        t.setDaemon(true);
        return t;
    });

    private DnsServer(DnsZones zones, DatagramSocket udp, ServerSocket tcp) {
        this.zones = zones;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Serves {@code zones} on {@code port} of 127.0.0.1 (0: a free port, the same for UDP and TCP). */
    static DnsServer start(DnsZones zones, int port) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        IOException last = null;
        for (int attempt = 0; attempt < (port == 0 ? 10 : 1); attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
            try {
                ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 50, loopback);
                DnsServer server = new DnsServer(zones, udp, tcp);
                server.threads.execute(server::serveUdp);
                server.threads.execute(server::serveTcp);
                return server;
            } catch (IOException e) {
                udp.close(); // the TCP port of that number is taken: draw another
                last = e;
            }
        }
        throw last;
    }

    int port() {
        return udp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buffer = new byte[512];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] answer = answer(query, 512);
                if (answer != null) {
                    udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (udp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try {
                Socket socket = tcp.accept();
                threads.execute(() -> serveConnection(socket));
            } catch (IOException e) {
                if (tcp.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            socket.setSoTimeout(10_000);
            while (true) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] answer = answer(query, 65535);
                if (answer == null) {
                    return;
                }
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
            }
        } catch (EOFException | SocketException e) {
            // the client closed the connection
        } catch (IOException e) {
            // a broken connection ends only itself
        }
    }

    /** The wire answer to a wire query, or null for a query that cannot be parsed. */
    byte[] answer(byte[] wire, int maxLength) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        Record question = query.getQuestion();
        if (question == null) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response.toWire(maxLength);
        }
        response.addRecord(question, Section.QUESTION);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        try {
            fill(response, question.getName(), question.getType());
        } catch (TextParseException e) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        }
        return response.toWire(maxLength);
    }

    private void fill(Message response, Name name, int type) throws TextParseException {
        DnsZones.Zone zone = zones.zoneOf(name.toString());
        if (zone == null) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return;
        }
        response.getHeader().setFlag(Flags.AA);
        Name apex = Name.fromString(zone.name());
        boolean atApex = name.equals(apex);
        java.util.List<DnsZones.RecordSet> sets = zones.recordSets(zone.id(), name.toString(), null);
        if (atApex && (type == Type.SOA || type == Type.ANY)) {
            response.addRecord(soa(apex), Section.ANSWER);
        }
        if (atApex && (type == Type.NS || type == Type.ANY)) {
            for (String host : DnsZones.NAME_SERVERS) {
                response.addRecord(new NSRecord(apex, DClass.IN, TTL, Name.fromString(host)), Section.ANSWER);
            }
        }
        for (DnsZones.RecordSet set : sets) {
            if (set.type().equals("TXT") && (type == Type.TXT || type == Type.ANY)) {
                for (String value : set.records()) {
                    response.addRecord(new TXTRecord(name, DClass.IN, set.ttl(), unquote(value)), Section.ANSWER);
                }
            }
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(soa(apex), Section.AUTHORITY);
            if (sets.isEmpty() && !atApex) {
                response.getHeader().setRcode(Rcode.NXDOMAIN);
            }
        }
    }

    private static SOARecord soa(Name apex) throws TextParseException {
        return new SOARecord(apex, DClass.IN, TTL, Name.fromString(DnsZones.NAME_SERVERS.get(0)),
                Name.fromString("hostmaster." + apex), 1, 7200, 900, 1209600, TTL);
    }

    /** A TXT value as the API holds it ({@code "\"abc\""}) to the text it answers ({@code abc}). */
    static String unquote(String value) {
        String v = value.trim();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing: nothing to tell
        }
        threads.shutdownNow();
    }
}
