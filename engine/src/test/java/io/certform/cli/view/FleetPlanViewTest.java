package io.certform.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.base.SourceRange;
import io.certform.cert.CertificateInfo;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A move between gateways as the plan shows it: both halves name both providers, in text and JSON. */
class FleetPlanViewTest {

    private static final Instant NOT_AFTER = Instant.parse("2031-08-16T06:36:13Z");

    private static Plan moved() {
        CertificateInfo info = new CertificateInfo("leaf-sha", "chain-sha", "5a01", NOT_AFTER.minusSeconds(86400 * 365),
                NOT_AFTER, "RSA", "RSA 2048", "api.example.com", List.of("api.example.com"), "Test CA", "SHA256WITHRSA");
        DesiredBinding eu = new DesiredBinding("provider.eu.shop[api.example.com]", "shop",
                new DesiredBinding.Domain("inst", "grp", "dom", "api.example.com"),
                new DesiredBinding.Upload("shop_api", "global", null, info, null,
                        new CertificateMaterial("pem", new Secret("key", "env K", null), null)),
                new SourceRange("certform.yaml", 12, 9), "eu");
        ResourceState old = new ResourceState("shop[api.example.com]", "shop", "inst", "grp", "dom", "api.example.com",
                "ssl-1", "shop_api", "global", null, "RSA", "leaf-sha", "chain-sha", null, "5a01",
                NOT_AFTER.toString(), "Test CA");
        return Planner.plan(List.of(eu), new State(State.FORMAT_VERSION, "test", "l", 3, List.of(old)), Map.of());
    }

    @Test
    void text_namesBothProvidersOnBothHalves_underEachProvidersHeading() {
        StringWriter text = new StringWriter();
        new HumanPlanView(new PrintWriter(text), new Style(false)).render(moved(), Map.of(), Instant.EPOCH);
        String out = text.toString();
        assertTrue(out.contains("\nprovider.default:\n\n  # shop[api.example.com] will be destroyed\n"
                + "  # (because moved from provider.default to provider.eu)\n"), out);
        assertTrue(out.contains("\nprovider.eu:\n\n  # provider.eu.shop[api.example.com] will be created\n"
                + "  # (because moved from provider.default to provider.eu)\n"), out);
        assertTrue(out.contains("Plan: 1 to add, 0 to change, 1 to destroy.\n"
                + "  provider.default: 0 to add, 0 to change, 1 to destroy.\n"
                + "  provider.eu: 1 to add, 0 to change, 0 to destroy.\n"), out);
    }

    @Test
    void json_givesEveryChangeItsProvider_andBothHalvesTheMove() {
        StringWriter text = new StringWriter();
        JsonPlanView view = new JsonPlanView(new PrintWriter(text), "test");
        JsonNode root = view.toJson(moved(), Map.of());
        JsonNode changes = root.get("resource_changes");
        assertEquals(2, changes.size());
        for (JsonNode c : changes) {
            String provider = c.get("address").asString().startsWith("provider.eu.") ? "eu" : "default";
            assertEquals(provider, c.get("provider").asString());
            assertEquals("default", c.get("moved").get("from").asString());
            assertEquals("eu", c.get("moved").get("to").asString());
            assertEquals("shop[api.example.com]", c.get("moved").get("delete").asString());
            assertEquals("provider.eu.shop[api.example.com]", c.get("moved").get("create").asString());
            assertEquals("provider_moved", c.get("reasons").get(0).asString());
        }
    }
}
