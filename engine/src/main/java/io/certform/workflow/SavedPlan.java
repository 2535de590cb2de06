package io.certform.workflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.certform.cert.CertificateInfo;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.manifest.RolloutSpec;
import io.certform.rollout.RolloutPlan;
import io.certform.state.ResourceCodec;
import io.certform.state.ResourceState;
import io.certform.state.StateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plan saved by {@code plan -out FILE}, applied exactly by {@code apply FILE}. The file holds the identity of
 * what the plan was made against (the manifest's hash, the state's lineage and serial) and each change with its
 * certificate's fingerprints; never a key. Applying re-reads the certificates and keys from their sources and
 * refuses a plan whose inputs moved: "Saved plan is stale".
 */
public final class SavedPlan {

    /** Why a saved plan cannot be applied; nothing was sent. */
    public static final class StaleException extends Exception {
        public StaleException(String message) {
            super(message);
        }
    }

    /**
     * The file's content. Paths are relative, so that the plan applies from any checkout of the same commit:
     * {@code manifest} to the plan file's folder (a hint, used when no manifest is named), {@code state} to the
     * manifest's folder (for people). What makes a plan stale is the manifest's hash and the state's identity.
     */
    public record File(@JsonProperty("format") String format,
                       @JsonProperty("format_version") int formatVersion,
                       @JsonProperty("certform_version") String certformVersion,
                       @JsonProperty("manifest") String manifest,
                       @JsonProperty("manifest_sha256") String manifestSha256,
                       @JsonProperty("state") String state,
                       @JsonProperty("lineage") String lineage,
                       @JsonProperty("serial") long serial,
                       @JsonProperty("destroy") boolean destroy,
                       @JsonProperty("prior_resources") List<ResourceState> priorResources,
                       @JsonProperty("resource_drift") List<SavedDrift> drift,
                       @JsonProperty("changes") List<Change> changes,
                       @JsonProperty("rollout") SavedRollout rollout,
                       @JsonProperty("attach_chunk") int attachChunk) {
        public File {
            drift = drift == null ? List.of() : List.copyOf(drift);
            attachChunk = attachChunk < 1 ? Plan.DEFAULT_ATTACH_CHUNK : attachChunk; // written before it was kept
        }
    }

    /**
     * The waves the plan showed (a plan applied all at once has none). A plan with waves is written as format
     * {@value #ROLLOUT_FORMAT_VERSION}, so that a certform that knows no waves refuses it instead of applying it at
     * once.
     */
    public record SavedRollout(@JsonProperty("wave_sizes") List<String> waveSizes,
                               @JsonProperty("waves") List<List<String>> waves,
                               @JsonProperty("after_waves") List<String> afterWaves,
                               @JsonProperty("verify") String verify,
                               @JsonProperty("max_failures") int maxFailures,
                               @JsonProperty("on_failure") String onFailure,
                               @JsonProperty("provider_order") @com.fasterxml.jackson.annotation.JsonInclude(
                                       com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                               List<String> providerOrder) {

        static SavedRollout of(RolloutPlan r) {
            return new SavedRollout(r.sizes().stream().map(Object::toString).toList(),
                    r.waves().stream().map(RolloutPlan.Wave::addresses).toList(), r.afterWaves(), r.verify().word(),
                    r.maxFailures(), r.onFailure().word(), r.byProvider() ? r.providerOrder() : null);
        }

        /**
         * @param keys the change keys of the addresses an earlier certform wrote for deposed objects' removals (their
         *             mark in the address), so that its waves name the changes as this one does
         */
        RolloutPlan plan(Map<String, String> keys) {
            List<RolloutSpec.WaveSize> sizes = waveSizes.stream().map(RolloutSpec.WaveSize::parse).toList();
            List<RolloutPlan.Wave> list = new ArrayList<>();
            for (int i = 0; i < waves.size(); i++) {
                List<String> addresses = waves.get(i).stream().map(a -> keys.getOrDefault(a, a)).toList();
                // a wave by provider holds that provider's changes only
                String provider = providerOrder == null || providerOrder.isEmpty() || addresses.isEmpty() ? null
                        : io.certform.state.ResourceState.providerOf(addresses.get(0));
                list.add(new RolloutPlan.Wave(i + 1, addresses, provider));
            }
            List<String> after = afterWaves == null ? List.of()
                    : afterWaves.stream().map(a -> keys.getOrDefault(a, a)).toList();
            return new RolloutPlan(list, after, sizes,
                    !sizes.get(sizes.size() - 1).equals(RolloutSpec.WaveSize.REST), RolloutSpec.Verify.of(verify),
                    maxFailures, RolloutSpec.OnFailure.of(onFailure), providerOrder);
        }
    }

    /** One change: what is recorded, and what will be bound (by fingerprint, with the certificate's facts). */
    public record Change(@JsonProperty("address") String address,
                         @JsonProperty("action") Action action,
                         @JsonProperty("reasons") Set<Reason> reasons,
                         @JsonProperty("before") ResourceState before,
                         @JsonProperty("after") ResourceState after,
                         @JsonProperty("after_certificate") SavedCertificate afterCertificate,
                         @JsonProperty("adopted") @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) ResourceState adopted,
                         @JsonProperty("provider") @com.fasterxml.jackson.annotation.JsonInclude(
                                 com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String provider) {

        /** A change of the default provider, or of the one its address names (no {@code provider} written). */
        public Change(String address, Action action, Set<Reason> reasons, ResourceState before, ResourceState after,
                      SavedCertificate afterCertificate, ResourceState adopted) {
            this(address, action, reasons, before, after, afterCertificate, adopted, null);
        }

        /**
         * The provider the change is for: written for another provider than the default (a plan of one provider
         * reads as it always did), and checked against the address when read.
         */
        String providerOrDefault() {
            return provider == null ? ResourceState.DEFAULT_PROVIDER : provider;
        }

        /**
         * The change's address: a deposed object's removal has its object's (read from {@code before}, as the state
         * is, so that a plan file that wrote the deposed mark into the address still reads).
         */
        String liveAddress() {
            return before != null && before.deposed() ? before.address() : address;
        }
    }

    /** What the plan showed of the certificate to bind: public facts only, never the key. */
    public record SavedCertificate(@JsonProperty("sha256") String sha256,
                                   @JsonProperty("chain_sha256") String chainSha256,
                                   @JsonProperty("serial_number") String serialNumber,
                                   @JsonProperty("not_before") String notBefore,
                                   @JsonProperty("not_after") String notAfter,
                                   @JsonProperty("algorithm_type") String algorithmType,
                                   @JsonProperty("key_type") String keyDescription,
                                   @JsonProperty("subject") String subject,
                                   @JsonProperty("dns_names") List<String> dnsNames,
                                   @JsonProperty("issuer") String issuer,
                                   @JsonProperty("signature_algorithm") String signatureAlgorithm) {

        static SavedCertificate of(CertificateInfo i) {
            return new SavedCertificate(i.sha256(), i.chainSha256(), i.serialNumber(), i.notBefore().toString(),
                    i.notAfter().toString(), i.algorithmType(), i.keyDescription(), i.subject(), i.dnsNames(),
                    i.issuer(), i.signatureAlgorithm());
        }

        CertificateInfo info() {
            return new CertificateInfo(sha256, chainSha256, serialNumber, Instant.parse(notBefore),
                    Instant.parse(notAfter), algorithmType, keyDescription, subject,
                    dnsNames == null ? List.of() : dnsNames, issuer, signatureAlgorithm);
        }
    }

    /** What the refresh at plan time found changed outside certform. */
    public record SavedDrift(@JsonProperty("address") String address,
                             @JsonProperty("kind") String kind,
                             @JsonProperty("recorded") ResourceState recorded,
                             @JsonProperty("found") ResourceState found,
                             @JsonProperty("differences") List<String> differences,
                             @JsonProperty("foreign") boolean foreign) {
    }

    /**
     * A saved plan as it was shown when made: the plan, the drift its refresh found, and its waves (null when it
     * goes out at once).
     */
    public record Review(Plan plan, Map<String, Drift> drift, RolloutPlan rollout) {
    }

    private static final String FORMAT = "certform-plan";
    /** 2: relative paths, the certificates' facts and the drift, so that {@code certform show} reads it alone. */
    private static final int FORMAT_VERSION = 2;
    /** 3: as 2, with the waves of a rollout. */
    private static final int ROLLOUT_FORMAT_VERSION = 3;
    /** A recorded binding in a plan file is written and read as in the state: by {@link ResourceCodec}. */
    private static final SimpleModule RESOURCES = new SimpleModule("certform-resources")
            .addSerializer(ResourceState.class, new ValueSerializer<ResourceState>() {
                @Override
                public void serialize(ResourceState value, JsonGenerator g, SerializationContext context) {
                    ResourceCodec.writeResource(g, value);
                }
            })
            .addDeserializer(ResourceState.class, new ValueDeserializer<ResourceState>() {
                @Override
                public ResourceState deserialize(JsonParser p, DeserializationContext context) {
                    return ResourceCodec.readResource(p);
                }
            });
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addModule(RESOURCES).build();

    private SavedPlan() {
    }

    /** Writes the plan to {@code target}, atomically. It holds no secret, and no absolute path. */
    public static void write(Path target, Workspace workspace, Operations.Planned planned, boolean destroy,
                             String version) throws IOException {
        write(target, workspace, planned, destroy, version, null);
    }

    /**
     * Writes the plan and its waves to {@code target}, atomically.
     *
     * @param rollout the waves the plan showed, or null when it goes out at once
     */
    public static void write(Path target, Workspace workspace, Operations.Planned planned, boolean destroy,
                             String version, RolloutPlan rollout) throws IOException {
        List<Change> changes = new ArrayList<>();
        for (ResourceChange c : planned.plan().changes()) {
            changes.add(new Change(c.address(), c.action(), c.reasons(), c.before(),
                    c.after() == null ? null : c.after().recorded(),
                    c.after() == null ? null : SavedCertificate.of(c.after().certificate()), c.adopted(),
                    c.provider().equals(ResourceState.DEFAULT_PROVIDER) ? null : c.provider()));
        }
        List<SavedDrift> drift = new ArrayList<>();
        for (Drift d : planned.drift().values()) {
            drift.add(new SavedDrift(d.address(), d.kind().name().toLowerCase(Locale.ROOT), d.recorded(), d.found(),
                    d.differences(), d.foreign()));
        }
        Path manifest = workspace.manifest().file().toAbsolutePath().normalize();
        Path folder = target.toAbsolutePath().normalize().getParent();
        File file = new File(FORMAT, rollout == null ? FORMAT_VERSION : ROLLOUT_FORMAT_VERSION, version,
                relative(folder, manifest),
                sha256(Files.readAllBytes(workspace.manifest().file())),
                workspace.manifest().state().backend() == io.certform.manifest.StateSettings.Backend.POSTGRES
                        ? workspace.stateStore().describe()
                        : relative(manifest.getParent(), workspace.manifest().statePath().toAbsolutePath().normalize()),
                planned.recorded().lineage(), planned.recorded().serial(), destroy, planned.prior().resources(),
                drift, changes, rollout == null ? null : SavedRollout.of(rollout), planned.plan().attachChunk());
        Path temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp");
        try {
            Files.write(temp, bytes(file));
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The file's bytes: indented JSON, its recorded bindings as in the state. */
    static byte[] bytes(File file) throws JacksonException {
        return JSON.writeValueAsBytes(file);
    }

    /** A file read from its bytes (null for a JSON {@code null}). */
    static File parse(byte[] json) throws JacksonException {
        return JSON.readValue(json, File.class);
    }

    /** {@code path} relative to {@code folder}, with {@code /} separators on every system. */
    private static String relative(Path folder, Path path) {
        try {
            return folder.relativize(path).toString().replace(java.io.File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return path.getFileName().toString(); // another drive: only the name can travel
        }
    }

    /** The plan as it was shown when made, rebuilt from the file alone (no manifest, key or state is read). */
    public static Review review(File file) {
        List<ResourceChange> changes = new ArrayList<>();
        Map<String, String> keys = new LinkedHashMap<>(); // what an earlier certform wrote for a deposed object
        for (Change c : file.changes()) {
            if (!c.address().equals(c.liveAddress())) {
                keys.put(c.address(), c.before().key());
            }
            DesiredBinding after = null;
            if (c.after() != null && c.afterCertificate() != null) {
                ResourceState a = c.after();
                after = new DesiredBinding(a.address(), a.certificate(),
                        new DesiredBinding.Domain(a.instanceId(), a.groupId(), a.domainId(), a.urlDomain()),
                        new DesiredBinding.Upload(a.sslName(), a.type(), a.certificateInstanceId(),
                                c.afterCertificate().info(), a.trustedRootCaSha256(), null, a.model()), null,
                        ResourceState.providerOf(a.address()));
            }
            changes.add(new ResourceChange(c.liveAddress(), c.action(), c.reasons(), c.before(), after,
                    c.adopted()));
        }
        Map<String, Drift> drift = new LinkedHashMap<>();
        for (SavedDrift d : file.drift()) {
            Drift read = new Drift(d.recorded() != null ? d.recorded().address() : d.address(),
                    Drift.Kind.valueOf(d.kind().toUpperCase(Locale.ROOT)), d.recorded(), d.found(), d.differences(),
                    d.foreign());
            drift.put(read.key(), read);
        }
        return new Review(new Plan(changes, file.lineage(), file.serial(), file.attachChunk()), drift,
                file.rollout() == null ? null : file.rollout().plan(keys));
    }

    /** Reads a saved plan; a file that is not one is refused with what it is. */
    public static File read(Path source) throws StaleException, IOException {
        try {
            File file = parse(Files.readAllBytes(source));
            if (file == null || !FORMAT.equals(file.format())) {
                throw new StaleException(source + " is not a certform plan file (write one with plan -out FILE).");
            }
            if (file.formatVersion() != FORMAT_VERSION && file.formatVersion() != ROLLOUT_FORMAT_VERSION) {
                throw new StaleException(source + " was written by another certform (plan format "
                        + file.formatVersion() + "); make the plan again with this one.");
            }
            for (Change c : file.changes()) {
                // the address says which gateway a change goes to: a provider that disagrees is an edited file
                if (!c.providerOrDefault().equals(ResourceState.providerOf(c.liveAddress()))) {
                    throw new StaleException(source + ": the change of " + c.address() + " names provider '"
                            + c.providerOrDefault() + "', but its address is provider '"
                            + ResourceState.providerOf(c.liveAddress()) + "''s; the file was edited. Make the plan"
                            + " again with certform plan -out FILE.");
                }
            }
            return file;
        } catch (NoSuchFileException e) {
            throw new StaleException("plan file not found: " + source);
        } catch (JacksonException e) {
            throw new StaleException(source + " is not a certform plan file (" + e.getOriginalMessage() + ").");
        }
    }

    /**
     * Checks a saved plan against the workspace and the current state, and rebuilds it with the certificates and
     * keys read now. Any difference makes the plan stale ({@link SavedPlanCheck}).
     */
    public static Operations.Planned verify(File file, Workspace workspace) throws StaleException, StateException,
            IOException {
        return SavedPlanCheck.verify(file, workspace);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
