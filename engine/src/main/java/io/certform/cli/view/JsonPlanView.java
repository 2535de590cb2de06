package io.certform.cli.view;

import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Drift;
import io.certform.plan.Pending;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.plan.Action;
import io.certform.plan.CallCount;
import io.certform.plan.DesiredPattern;
import io.certform.rollout.RolloutPlan;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A plan as JSON, modelled on {@code terraform show -json}: {@code format_version}, {@code resource_changes} with
 * {@code address}, {@code actions}, {@code before}, {@code after}, and a {@code summary}. Certificates appear by
 * fingerprint, serial and expiry only.
 */
public final class JsonPlanView implements PlanView {
    public static final String FORMAT_VERSION = "1";

    private final PrintWriter out;
    private final String certformVersion;
    private final JsonMapper json = JsonMapper.builder().build();
    private List<DesiredPattern.Selection> selections = List.of();
    private RolloutPlan rollout;
    private Pending pending = Pending.NONE;

    @Override
    public JsonPlanView pending(Pending value) {
        pending = value == null ? Pending.NONE : value;
        return this;
    }

    @Override
    public JsonPlanView rollingOut(RolloutPlan value) {
        rollout = value;
        return this;
    }

    @Override
    public JsonPlanView selecting(List<DesiredPattern.Selection> value) {
        selections = List.copyOf(value);
        return this;
    }

    public JsonPlanView(PrintWriter out, String certformVersion) {
        this.out = out;
        this.certformVersion = certformVersion;
    }

    @Override
    public void render(Plan plan, Map<String, Drift> drift, Instant now) {
        out.println(json.writeValueAsString(toJson(plan, drift)));
        out.flush();
    }

    public ObjectNode toJson(Plan plan, Map<String, Drift> drift) {
        ObjectNode root = json.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("certform_version", certformVersion);
        ObjectNode prior = root.putObject("prior_state");
        prior.put("lineage", plan.lineage());
        prior.put("serial", plan.serial());
        ArrayNode drifted = root.putArray("resource_drift");
        for (Drift d : drift.values()) {
            ObjectNode node = drifted.addObject();
            node.put("address", d.address());
            node.put("provider", io.certform.state.ResourceState.providerOf(d.address()));
            if (d.recorded() != null && d.recorded().deposed()) {
                node.put("deposed", d.recorded().deposedKey());
            }
            node.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
            node.set("before", before(d.recorded()));
            if (d.foreign()) {
                node.put("foreign", true);
            }
            d.differences().forEach(node.withArray("differences")::add);
            if (d.found() == null) {
                node.putNull("after");
            } else {
                node.set("after", before(d.found()));
            }
        }
        ArrayNode changes = root.putArray("resource_changes");
        List<io.certform.plan.Moves> moves = io.certform.plan.Moves.of(plan);
        for (ResourceChange c : plan.changes()) {
            ObjectNode node = changes.addObject();
            node.put("address", c.address());
            node.put("provider", c.provider());
            moves.stream().filter(m -> m.delete().equals(c.key()) || m.create().equals(c.address())).findFirst()
                    .ifPresent(m -> node.putObject("moved").put("from", m.from()).put("to", m.to())
                            .put("create", m.create()).put("delete", m.delete()));
            if (c.deposed()) { // the removal of an object a replacement deposed, beside the live one's change
                node.put("deposed", c.before().deposedKey());
            }
            node.put("certificate", c.after() != null ? c.after().certificateKey() : c.before().certificate());
            node.put("kind", kind(c));
            ArrayNode actions = node.putArray("actions");
            c.action().wireActions().forEach(actions::add);
            ArrayNode reasons = node.putArray("reasons");
            c.reasons().stream().sorted().map(Reason::wireName).forEach(reasons::add);
            if (c.before() != null && !c.before().address().equals(c.address())) {
                node.put("previous_address", c.before().address());
            }
            if (c.before() == null) {
                node.putNull("before");
            } else {
                node.set("before", before(c.before()));
            }
            if (c.after() == null) {
                node.putNull("after");
            } else {
                ObjectNode after = after(c.after());
                // a move only renames the state's record: the domain keeps its certificate and its ssl_id
                boolean kept = !c.action().changes() || c.action() == Action.MOVE;
                if (kept) {
                    after.put("ssl_id", c.before().sslId());
                } else if (c.action() == Action.ADOPT) {
                    after.put("ssl_id", c.adopted().sslId());
                }
                node.set("after", after);
                ObjectNode unknown = node.putObject("after_unknown");
                unknown.put("ssl_id", !kept && c.action() != Action.ADOPT);
                unknown.put("domain_id", c.after().domainId() == null);
            }
        }
        ArrayNode calls = root.putArray("certificate_calls");
        for (CallCount c : CallCount.of(plan)) {
            ObjectNode n = calls.addObject();
            n.put("certificate", c.certificateKey());
            n.put("model", c.model());
            n.put("write_calls", c.writes());
            n.put("write_calls_at_most", c.writesAtMost());
        }
        if (!selections.isEmpty()) {
            ArrayNode patterns = root.putArray("domain_patterns");
            for (DesiredPattern.Selection s : selections) {
                ObjectNode p = patterns.addObject();
                p.put("certificate", s.certificateKey());
                p.put("match", s.match());
                p.put("scope", s.scope());
                ArrayNode names = p.putArray("selected");
                s.selected().forEach(names::add);
            }
        }
        if (rollout != null) {
            root.set("rollout", RolloutSection.json(rollout, json));
        }
        ArrayNode unknown = json.createArrayNode();
        for (Pending.Unknown u : pending.unknowns()) {
            ObjectNode n = unknown.addObject();
            n.put("address", u.address());
            n.put("url_domain", u.domain());
            n.put("reason", "open_intent");
            n.put("call", u.call());
            n.put("ssl_name", u.certificateName());
            n.put("sent_at", u.sentAt().toString());
            n.put("settled_by", "the next apply looks at the domain first and never sends the call again");
        }
        if (pending.wave() != null) {
            for (String address : pending.wave().unchecked()) {
                ObjectNode n = unknown.addObject();
                n.put("address", address);
                n.put("reason", "rollout_check_interrupted");
                n.put("wave", pending.wave().number());
                n.put("on_failure", pending.wave().onFailure());
                n.put("settled_by", "the next apply checks it first and, if the check fails, "
                        + ("rollback".equals(pending.wave().onFailure()) ? "rolls the rollout back" : "stops"));
            }
        }
        if (!pending.issuance().isEmpty()) { // only then: a plan without ACME entries reads as it always did
            ArrayNode issuance = root.putArray("issuance");
            for (Pending.Issuance i : pending.issuance()) {
                ObjectNode n = issuance.addObject().put("certificate", i.certificate()).put("action", i.kind())
                        .put("names", i.names()).put("key_type", i.keyType()).put("reason", i.reason());
                if (i.renew()) {
                    n.put("expires_in_days", i.expiresInDays()).put("renew_before_days", i.renewBeforeDays());
                }
            }
        }
        if (!unknown.isEmpty()) { // only then: a plan with nothing unknown reads as it always did
            root.set("unknown", unknown);
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("add", plan.toAdd());
        summary.put("adopt", plan.toAdopt());
        summary.put("change", plan.toChange());
        summary.put("destroy", plan.toDestroy());
        return root;
    }

    /** {@code certificate} (a shared certificate resource), {@code attachment} (a domain attached to one), else {@code binding}. */
    private static String kind(ResourceChange c) {
        boolean certificate = (c.after() != null && c.after().certificateResource())
                || (c.before() != null && c.before().certificateResource());
        if (certificate) {
            return "certificate";
        }
        return (c.after() != null ? c.after().shared() : c.before().shared()) ? "attachment" : "binding";
    }

    private ObjectNode before(ResourceState r) {
        ObjectNode n = json.createObjectNode();
        n.put("instance_id", r.instanceId());
        n.put("group_id", r.groupId());
        n.put("domain_id", r.domainId());
        n.put("url_domain", r.urlDomain());
        n.put("ssl_id", r.sslId());
        n.put("ssl_name", r.sslName());
        n.put("type", r.type());
        n.put("certificate_instance_id", r.certificateInstanceId());
        n.put("algorithm_type", r.algorithmType());
        n.put("cert_sha256", r.certSha256());
        n.put("chain_sha256", r.chainSha256());
        n.put("trusted_root_ca_sha256", r.trustedRootCaSha256());
        n.put("serial_number", r.serialNumber());
        n.put("not_after", r.notAfter());
        n.put("issuer", r.issuer());
        return n;
    }

    private ObjectNode after(DesiredBinding d) {
        ObjectNode n = json.createObjectNode();
        n.put("instance_id", d.instanceId());
        n.put("group_id", d.groupId());
        n.put("domain_id", d.domainId());
        n.put("url_domain", d.urlDomain());
        n.putNull("ssl_id");
        n.put("ssl_name", d.sslName());
        n.put("type", d.type());
        n.put("certificate_instance_id", d.certificateInstanceId());
        n.put("algorithm_type", d.certificate().algorithmType());
        n.put("cert_sha256", d.certificate().sha256());
        n.put("chain_sha256", d.certificate().chainSha256());
        n.put("trusted_root_ca_sha256", d.trustedRootCaSha256());
        n.put("serial_number", d.certificate().serialNumber());
        n.put("not_after", d.certificate().notAfter().toString());
        n.put("subject", d.certificate().subject());
        n.put("issuer", d.certificate().issuer());
        return n;
    }
}
