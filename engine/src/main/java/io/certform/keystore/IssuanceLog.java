package io.certform.keystore;

import io.certform.acme.ChallengeRecord;
import io.certform.acme.IssueJournal;
import io.certform.acme.Resume;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The journal of ACME issuance: per certificate entry, the order URL (recorded before any challenge is presented),
 * the challenge records presented and not yet cleaned up (each recorded before it is created, dropped after it is
 * removed) and the certificate URL once finalized. Every record is written durably (the whole small document,
 * atomically, through a {@link KeyStorage}) before the issuer acts on it, so a run killed anywhere resumes the
 * recorded order ({@link #resume}) instead of ordering again, and removes the records it left. It holds URLs,
 * record names and challenge values: never a key.
 *
 * <p>Document: {@code {"format":1,"entries":{"KEY":{"order":URL,"presented":[{"domain":..,"record":..,"value":..}],
 * "certificate":URL}}}}.
 */
public final class IssuanceLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KeyStorage storage;
    private ObjectNode document;
    private String version;

    private IssuanceLog(KeyStorage storage, ObjectNode document, String version) {
        this.storage = storage;
        this.document = document;
        this.version = version;
    }

    /** Reads the journal; an empty one when none was written. */
    public static IssuanceLog load(KeyStorage storage) throws KeystoreException {
        KeyStorage.Stored stored = storage.read();
        if (stored == null) {
            return new IssuanceLog(storage, fresh(), null);
        }
        try {
            JsonNode read = JSON.readTree(new String(stored.bytes(), StandardCharsets.UTF_8));
            if (!(read instanceof ObjectNode o) || !(o.get("entries") instanceof ObjectNode)) {
                throw new KeystoreException("the issuance journal " + storage.describe() + " is not certform's:"
                        + " it has no 'entries'. Move it away only after checking that no ACME order is half done.");
            }
            return new IssuanceLog(storage, o, stored.version());
        } catch (JacksonException e) {
            throw new KeystoreException("the issuance journal " + storage.describe() + " is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static ObjectNode fresh() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", 1);
        o.putObject("entries");
        return o;
    }

    /** What an interrupted issuance of entry {@code key} left: its order and its records still present. */
    public Resume resume(String key) {
        JsonNode e = document.get("entries").get(key);
        if (e == null) {
            return Resume.none();
        }
        List<ChallengeRecord> presented = new ArrayList<>();
        for (JsonNode r : e.path("presented")) {
            presented.add(new ChallengeRecord(r.path("domain").asString(), r.path("record").asString(),
                    r.path("value").asString()));
        }
        JsonNode order = e.get("order");
        return new Resume(order == null || order.isNull() ? null : order.asString(), presented);
    }

    /** Whether entry {@code key} has an interrupted issuance recorded. */
    public boolean open(String key) {
        return document.get("entries").has(key);
    }

    /** The entries with an interrupted issuance. */
    public List<String> openEntries() {
        return new ArrayList<>(document.get("entries").propertyNames());
    }

    /** The journal of entry {@code key}'s issuance, each record written before the issuer goes on. */
    public IssueJournal journal(String key) {
        return new IssueJournal() {
            @Override
            public void orderCreated(String orderUrl) {
                write(() -> {
                    ObjectNode e = entry(key);
                    e.put("order", orderUrl);
                    e.remove("certificate");
                });
            }

            @Override
            public void challengePresenting(ChallengeRecord record) {
                write(() -> {
                    ArrayNode presented = entry(key).withArray("presented");
                    if (indexOf(presented, record) < 0) {
                        presented.addObject().put("domain", record.domain()).put("record", record.record())
                                .put("value", record.value());
                    }
                });
            }

            @Override
            public void challengeCleaned(ChallengeRecord record) {
                write(() -> {
                    ArrayNode presented = entry(key).withArray("presented");
                    int i = indexOf(presented, record);
                    if (i >= 0) {
                        presented.remove(i);
                    }
                });
            }

            @Override
            public void finalized(String certificateUrl) {
                write(() -> entry(key).put("certificate", certificateUrl));
            }
        };
    }

    /** Entry {@code key}'s issuance is over (its certificate stored, or nothing left to resume): forgets it. */
    public void close(String key) throws KeystoreException {
        if (!open(key)) {
            return;
        }
        ((ObjectNode) document.get("entries")).remove(key);
        version = storage.write(bytes(), version);
    }

    private ObjectNode entry(String key) {
        ObjectNode entries = (ObjectNode) document.get("entries");
        JsonNode e = entries.get(key);
        return e instanceof ObjectNode o ? o : entries.putObject(key);
    }

    private static int indexOf(ArrayNode presented, ChallengeRecord record) {
        for (int i = 0; i < presented.size(); i++) {
            JsonNode r = presented.get(i);
            if (record.record().equals(r.path("record").asString()) && record.value().equals(r.path("value")
                    .asString()) && record.domain().equals(r.path("domain").asString())) {
                return i;
            }
        }
        return -1;
    }

    private void write(Runnable change) {
        change.run();
        try {
            version = storage.write(bytes(), version);
        } catch (KeystoreException e) {
            throw new RecordFailed(e);
        }
    }

    private byte[] bytes() {
        return JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
    }

    /** A journal record could not be written: the issuance stops before acting on it. */
    public static final class RecordFailed extends RuntimeException {
        RecordFailed(KeystoreException cause) {
            super("the issuance journal could not be written: " + cause.getMessage(), cause);
        }
    }
}
