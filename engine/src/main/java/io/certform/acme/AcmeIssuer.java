package io.certform.acme;

import io.certform.acme.AcmeIssueException.Kind;
import io.certform.base.Sleeper;
import io.certform.dns.Dns01Solver;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.util.CSRBuilder;

/**
 * Issues one certificate through ACME (acme4j): finds or creates the account (its key from {@link AccountKeys}),
 * orders (or resumes the order a {@link Resume} names, from its status: pending: solve; ready: finalize;
 * processing: wait; valid: download), solves every dns-01 authorization through the {@link Dns01Solver} given,
 * finalizes with a CSR from a fresh key of the requested type (kept in {@link OrderKeys} before the CSR leaves),
 * and downloads the chain (the preferred one when the CA offers it). Each durable step is told to the
 * {@link IssueJournal} before it is acted on; at most one order is created per call. CA errors are
 * {@link AcmeIssueException}s of a named kind; acme4j retries {@code badNonce} itself. Thread-safe: every call
 * keeps its own state.
 */
public final class AcmeIssuer {

    /**
     * How long to wait, and how often to ask.
     *
     * @param poll     between two looks at an order or authorization (Retry-After, when longer, wins)
     * @param dnsLimit how long a challenge record may take to be answered by every name server
     * @param caLimit  how long the CA may take to decide an authorization or finish an order
     * @param timeout  of each HTTP call to the CA
     */
    public record Settings(Duration poll, Duration dnsLimit, Duration caLimit, Duration timeout) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(2), Duration.ofMinutes(10),
                Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    private final AccountKeys accountKeys;
    private final OrderKeys orderKeys;
    private final Settings settings;
    private final Sleeper sleeper;

    public AcmeIssuer(AccountKeys accountKeys, OrderKeys orderKeys, Settings settings) {
        this(accountKeys, orderKeys, settings, Sleeper.SYSTEM);
    }

    public AcmeIssuer(AccountKeys accountKeys, OrderKeys orderKeys, Settings settings, Sleeper sleeper) {
        this.accountKeys = accountKeys;
        this.orderKeys = orderKeys;
        this.settings = settings;
        this.sleeper = sleeper;
    }

    /**
     * Issues {@code request}'s certificate, its challenges through {@code solver}, telling {@code journal} each step;
     * resumes {@code resume}'s order when it can still yield the certificate, and first removes the challenge
     * records it lists.
     */
    public Issued issue(AcmeRequest request, Dns01Solver solver, IssueJournal journal, Resume resume) {
        String directory = request.directoryUrl();
        Polling polling = new Polling(settings.poll(), settings.caLimit(), sleeper);
        ChallengeRound challenges = new ChallengeRound(solver, journal, polling, settings.dnsLimit(), directory);
        challenges.cleanLeftovers(resume.presented());
        Session session = AcmeSessions.open(request, settings.timeout());
        String doing = "create the account";
        try {
            Login login = login(session, request);
            doing = "resume the order " + resume.orderUrl();
            Order order = resume.orderUrl() == null ? null : resumable(login, request, resume.orderUrl());
            boolean ordered = false;
            if (order == null) {
                doing = "order a certificate for " + String.join(", ", request.names());
                order = login.newOrder().domains(request.names()).create();
                ordered = true;
                journal.orderCreated(order.getLocation().toString());
            }
            String orderUrl = order.getLocation().toString();
            while (true) {
                Status status = order.getStatus();
                doing = "complete the order " + orderUrl;
                switch (status) {
                    case PENDING -> {
                        challenges.solve(order.getAuthorizations());
                        await(polling, order, Set.of(Status.READY, Status.VALID, Status.INVALID, Status.PROCESSING));
                    }
                    case READY -> {
                        finalizeOrder(order, request);
                        await(polling, order, Set.of(Status.VALID, Status.INVALID));
                    }
                    case PROCESSING -> await(polling, order, Set.of(Status.VALID, Status.INVALID));
                    case VALID -> {
                        doing = "download the certificate of the order " + orderUrl;
                        return download(order, request, journal);
                    }
                    default -> {
                        String problem = order.getError().map(AcmeErrors::detail).orElse("no detail");
                        if (ordered) {
                            throw new AcmeIssueException(Kind.ORDER_FAILED, "ACME server " + directory + ": the order "
                                    + orderUrl + " is " + status.name().toLowerCase(Locale.ROOT) + ": " + problem
                                    + ": run again to order anew", null);
                        }
                        doing = "order a certificate for " + String.join(", ", request.names());
                        order = login.newOrder().domains(request.names()).create();
                        ordered = true;
                        journal.orderCreated(order.getLocation().toString());
                        orderUrl = order.getLocation().toString();
                    }
                }
            }
        } catch (AcmeException e) {
            throw AcmeErrors.of(e, directory, doing, request.eab() != null);
        } catch (AcmeLazyLoadingException e) {
            throw AcmeErrors.of(e.getCause() instanceof AcmeException a ? a : new AcmeException(e.getMessage()),
                    directory, doing, request.eab() != null);
        }
    }

    /** Registers the account (an existing one for the key is found, not duplicated: RFC 8555, 7.3.1). */
    private Login login(Session session, AcmeRequest request) throws AcmeException {
        String directory = request.directoryUrl();
        KeyPair key = accountKeys.find(directory).orElse(null);
        if (key == null) {
            key = KeyType.EC256.generate();
            accountKeys.keep(directory, key);
        }
        AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
        for (String contact : request.contacts()) {
            account.addContact(contact.contains(":") ? contact : "mailto:" + contact);
        }
        if (request.eab() != null) {
            try {
                account.withKeyIdentifier(request.eab().keyId(), request.eab().hmacKey().reveal());
            } catch (IllegalArgumentException e) {
                throw new AcmeIssueException(Kind.EAB_INVALID, "the external account binding's hmac_key (from "
                        + request.eab().hmacKey().origin() + ") is not a base64url key: give the key as the CA"
                        + " gave it", null);
            }
        }
        return account.createLogin(session);
    }

    /** The recorded order, when it can still yield the requested certificate; null when a new order is needed. */
    private Order resumable(Login login, AcmeRequest request, String orderUrl) throws AcmeException {
        Order order;
        try {
            order = login.bindOrder(new URL(orderUrl));
            order.fetch();
        } catch (MalformedURLException e) {
            return null;
        } catch (AcmeServerException e) {
            if (AcmeErrors.type(e.getType()).equals("malformed") || e.getMessage().toLowerCase(Locale.ROOT)
                    .contains("not found")) {
                return null; // the CA no longer knows it (expired and purged, or another account's)
            }
            throw e;
        }
        Set<String> held = new TreeSet<>();
        for (Identifier identifier : order.getIdentifiers()) {
            held.add(identifier.getValue().toLowerCase(Locale.ROOT));
        }
        Set<String> wanted = new TreeSet<>();
        request.names().forEach(n -> wanted.add(n.toLowerCase(Locale.ROOT)));
        if (!held.equals(wanted)) {
            return null; // the names changed since
        }
        Status status = order.getStatus();
        boolean keyNeeded = status == Status.PROCESSING || status == Status.VALID;
        if (keyNeeded && orderKeys.find(orderUrl).isEmpty()) {
            return null; // its certificate's key was not kept: the certificate would be of no use
        }
        return switch (status) {
            case PENDING, READY, PROCESSING, VALID -> order;
            default -> null;
        };
    }

    private void finalizeOrder(Order order, AcmeRequest request) throws AcmeException {
        String orderUrl = order.getLocation().toString();
        KeyPair key = orderKeys.find(orderUrl).orElse(null);
        if (key == null) {
            key = request.keyType().generate();
            orderKeys.keep(orderUrl, key);
        }
        CSRBuilder csr = new CSRBuilder();
        for (Identifier identifier : order.getIdentifiers()) {
            csr.addIdentifier(identifier);
        }
        try {
            csr.sign(key);
            order.execute(csr.getEncoded());
        } catch (IOException e) {
            throw new AcmeIssueException(Kind.ORDER_FAILED, "cannot make the certificate signing request: "
                    + e.getMessage(), null);
        }
    }

    private void await(Polling polling, Order order, Set<Status> until) throws AcmeException {
        if (polling.until(order, until) == null) {
            throw new AcmeIssueException(Kind.ORDER_FAILED, "ACME server " + order.getLocation() + ": the order"
                    + " is still " + order.getStatus().name().toLowerCase(Locale.ROOT) + " after "
                    + polling.limit().toSeconds() + " s: run again later (the order is resumed)", null);
        }
    }

    private Issued download(Order order, AcmeRequest request, IssueJournal journal) throws AcmeException {
        String orderUrl = order.getLocation().toString();
        Certificate certificate = order.getCertificate();
        journal.finalized(certificate.getLocation().toString());
        certificate.download();
        if (request.preferredChain() != null && !request.preferredChain().isBlank()) {
            certificate = certificate.findCertificate(request.preferredChain()).orElse(certificate);
        }
        List<X509Certificate> chain = certificate.getCertificateChain();
        KeyPair key = orderKeys.find(orderUrl).orElseThrow(() -> new AcmeIssueException(Kind.ORDER_FAILED,
                "the key of the order " + orderUrl + " was not kept: run again to order anew", null));
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), key.getPublic().getEncoded())) {
            throw new AcmeIssueException(Kind.ORDER_FAILED, "the certificate of the order " + orderUrl + " is not"
                    + " for the key kept for it: run again to order anew", null);
        }
        return new Issued(orderUrl, certificate.getLocation().toString(), key, chain);
    }

}
