package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.diag.Severity;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.ResourceChange;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** min_days_remaining holds a certificate only where a change would send it. */
class ExpiryHoldTest {

    private static final ExpiryHold HOLD = new ExpiryHold("shop", Diagnostic.error(null,
            "certificate 'shop': the certificate expires on 2026-01-01T00:00:00Z, in 4 days: less than"
                    + " min_days_remaining (7)", "Renew it before binding it."));

    @ParameterizedTest(name = "{0} of shop -> {1}")
    @CsvSource({
            "CREATE, ERROR", "UPDATE, ERROR", "REPLACE, ERROR", "CREATE_THEN_DELETE, ERROR",
            "NO_OP, WARNING", "MOVE, WARNING", "DELETE, WARNING"})
    void aChangeThatSendsTheCertificate_isAnError_anyOtherAWarning(Action action, Severity expected) {
        DesiredBinding after = action == Action.DELETE ? null : new DesiredBinding("shop[api.example.com]", "shop",
                new DesiredBinding.Domain("inst1", "grp1", "dom1", "api.example.com"), null, null);
        Plan plan = new Plan(List.of(new ResourceChange("shop[api.example.com]", action, Set.of(), null, after)),
                "lineage", 1);
        Diagnostics diagnostics = new Diagnostics();
        ExpiryHold.check(List.of(HOLD), plan, diagnostics);
        assertEquals(1, diagnostics.all().size(), diagnostics.all().toString());
        assertEquals(expected, diagnostics.all().get(0).severity(), diagnostics.all().toString());
    }

    @ParameterizedTest(name = "a {0} of another certificate leaves shop a warning")
    @CsvSource({"CREATE", "UPDATE"})
    void aChangeOfAnotherCertificate_leavesTheHeldOneAWarning(Action action) {
        DesiredBinding other = new DesiredBinding("status[status.example.com]", "status",
                new DesiredBinding.Domain("inst1", "grp1", "dom2", "status.example.com"), null, null);
        Plan plan = new Plan(List.of(new ResourceChange(other.address(), action, Set.of(), null, other)), "lineage", 1);
        Diagnostics diagnostics = new Diagnostics();
        ExpiryHold.check(List.of(HOLD), plan, diagnostics);
        assertEquals(List.of(Severity.WARNING), diagnostics.all().stream().map(Diagnostic::severity).toList());
    }
}
