package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.api.Transport;
import io.certform.apply.Applier;
import io.certform.apply.Backoff;
import io.certform.diag.Diagnostics;
import io.certform.plan.Drift;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import io.certform.provider.ProviderSession;
import io.certform.rollout.RolloutPlan;
import io.certform.rollout.RolloutSettings;
import io.certform.state.StateStore;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply operation asks before it sends, after showing the plan: a plan the person does not approve sends
 * nothing and records nothing; one approved is applied and recorded. The questions go through {@link Approval} and
 * the progress through {@link ApplyProgress}, so this runs with neither a terminal nor picocli.
 */
class ApplyOperationTest {

    @TempDir
    Path dir;

    /** What the operation did, in order: shown, asked, sent. */
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aPlanNotApproved_isShownFirst_andSendsNothing() throws Exception {
        Workspace workspace = workspace();
        ApplyOperation.Result result = ApplyOperation.run(request(workspace), new TestHost(), new Progress(),
                approval(false));
        assertEquals(ApplyOperation.Outcome.CANCELLED, result.outcome());
        assertEquals(List.of("planned shop[api.shop.example.com]", "confirm"), events);
        assertTrue(workspace.stateStore().read().resources().isEmpty(), "nothing is recorded");
    }

    @Test
    void aPlanApproved_isApplied_andRecorded() throws Exception {
        Workspace workspace = workspace();
        ApplyOperation.Result result = ApplyOperation.run(request(workspace), new TestHost(), new Progress(),
                approval(true));
        assertEquals(ApplyOperation.Outcome.APPLIED, result.outcome());
        assertTrue(result.applied().ok(), () -> result.applied().failures().toString());
        assertEquals(List.of("planned shop[api.shop.example.com]", "confirm", "approved",
                "started shop[api.shop.example.com]", "completed shop[api.shop.example.com]"), events);
        assertEquals(1, workspace.stateStore().read().resources().size());
    }

    private Approval approval(boolean answer) {
        return new Approval() {
            @Override
            public boolean confirm(boolean destroying) {
                events.add("confirm");
                return answer;
            }

            @Override
            public boolean nextWave(RolloutPlan.Wave next) {
                events.add("next wave");
                return answer;
            }
        };
    }

    private Workspace workspace() throws Exception {
        TestCertificates.Issued shop = TestCertificates.authority("certform Test CA").issue("api.shop.example.com");
        Files.writeString(dir.resolve("shop.crt"), shop.chainPem());
        Files.writeString(dir.resolve("shop.key"), shop.privateKeyPem());
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, """
                version: 1
                provider: { endpoint: embedded, project_id: proj1 }
                defaults: { instance_id: inst1 }
                certificates:
                  shop:
                    name: shop_api_2026
                    cert_content: ${file:shop.crt}
                    private_key: ${file:shop.key}
                    domains:
                      - { group_id: grp1, domain: api.shop.example.com }
                """);
        Workspace workspace = Workspace.load(manifest, "certform.yaml", null, Map.of("CERTFORM_AUTH_TOKEN", "tok")::get,
                Clock.systemUTC(), "test");
        assertTrue(workspace.ok(), () -> workspace.diagnostics().all().toString());
        return workspace;
    }

    private static ApplyOperation.Request request(Workspace workspace) {
        return new ApplyOperation.Request(workspace, "apply", false, null, Operations.PlanOptions.defaults(),
                RolloutSettings.NONE, new Applier.Settings(4, Backoff.DEFAULT, null, Duration.ofSeconds(30)),
                Clock.systemUTC(), "test");
    }

    private final class TestHost implements ApplyOperation.ApplyHost {
        @Override
        public StateStore.Held lock(StateStore store, String operation) {
            try {
                return store.lock(operation, Duration.ZERO);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public ProviderSession session(Workspace workspace) {
            return new ProviderSession(workspace.manifest(), workspace.desired(), null,
                    Map.of("CERTFORM_AUTH_TOKEN", "tok")::get,
                    new Transport("certform/test", 4, GatewayClient.Timeouts.DEFAULT, null, null), Clock.systemUTC());
        }

        @Override
        public void note(String text) {
            events.add("note " + text);
        }

        @Override
        public void diagnostics(Diagnostics diagnostics) {
            events.add("diagnostics");
        }

        @Override
        public void approved() {
            events.add("approved");
        }

        @Override
        public ApplyOperation.Watch applying(io.certform.apply.ApplyRunner applier) {
            return () -> { };
        }

        @Override
        public void notify(URI url, RolloutRun.Report report) {
            events.add("notify");
        }
    }

    private final class Progress implements ApplyProgress {
        @Override
        public void planned(Plan plan, Map<String, Drift> drift, Instant now) {
            plan.changes().stream().filter(c -> c.action().changes()).forEach(c -> events.add("planned "
                    + c.address()));
        }

        @Override
        public ApplyProgress rollingOut(RolloutPlan rollout) {
            return this;
        }

        @Override
        public void note(String text) {
            events.add("note " + text);
        }

        @Override
        public void started(ResourceChange change) {
            events.add("started " + change.address());
        }

        @Override
        public void completed(ResourceChange change, String sslId, Duration took, String note) {
            events.add("completed " + change.address());
        }

        @Override
        public void failed(ResourceChange change, ApiException error) {
            events.add("failed " + change.address());
        }

        @Override
        public void unknown(ResourceChange change, String why) {
            events.add("unknown " + change.address());
        }

        @Override
        public void skipped(ResourceChange change, String why) {
            events.add("skipped " + change.address());
        }
    }
}
