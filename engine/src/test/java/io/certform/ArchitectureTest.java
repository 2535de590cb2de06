package io.certform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md's "must never" column, checked against the compiled engine (main classes only). One test
 * per row that a dependency can express; the rows about behaviour (diag never throws on the first problem, state
 * never holds a key, apply never resends a POST that may have landed) are pinned by their own tests.
 */
class ArchitectureTest {

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.certform");
    }

    private static void check(ArchRule rule) {
        rule.check(engine);
    }

    @Test
    void cli_isImportedByNoOtherPackage() {
        check(noClasses().that().resideOutsideOfPackage("io.certform.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.cli..")
                .because("commands and views sit on top: nothing below them may reach up"));
    }

    @Test
    void workflow_neverPrints() {
        check(noClasses().that().resideInAPackage("io.certform.workflow..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .orShould().callMethod(Throwable.class, "printStackTrace")
                .because("the services return what happened; the CLI's views say it"));
    }

    @Test
    void manifest_neverTouchesTheNetworkNorTheState() {
        check(noClasses().that().resideInAPackage("io.certform.manifest..")
                .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "java.net.http..", "java.sql..",
                        "io.certform.api..", "io.certform.remote..", "io.certform.provider..", "io.certform.state..",
                        "io.certform.apply..", "io.certform.workflow..")
                .because("reading a manifest connects to nothing: validate runs offline"));
    }

    @Test
    void plan_performsNoIo() {
        check(noClasses().that().resideInAPackage("io.certform.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.net..", "java.sql..",
                        "okhttp3..", "io.certform.api..", "io.certform.apply..", "io.certform.provider..",
                        "io.certform.workflow..")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("StateStore")
                .because("the planner is a pure function of the desired bindings, the state and the drift"));
    }

    @Test
    void remote_neverWrites() {
        check(noClasses().that().resideInAPackage("io.certform.remote..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.apply..", "io.certform.workflow..",
                        "java.nio.file..", "java.sql..")
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("StateStore")
                .because("the read model reads the gateway; what is written is apply's and state's"));
    }

    @Test
    void api_knowsNothingOfPlans() {
        check(noClasses().that().resideInAPackage("io.certform.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.plan..", "io.certform.apply..",
                        "io.certform.workflow..", "io.certform.state..", "io.certform.manifest..")
                .because("the gateway client speaks the REST API only"));
    }

    @Test
    void dns_knowsNothingOfPlansNorState_andNeverPrints() {
        check(noClasses().that().resideInAPackage("io.certform.dns..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.plan..", "io.certform.apply..",
                        "io.certform.workflow..", "io.certform.state..", "io.certform.manifest..", "io.certform.cli..",
                        "io.certform.remote..", "io.certform.report..")
                .orShould().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("the dns-01 solvers publish and remove records only; the ACME step decides and reports"));
    }

    @Test
    void acme_dependsOnlyOnDnsBaseAndCert_andNeverPrints() {
        check(noClasses().that().resideInAPackage("io.certform.acme..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.plan..", "io.certform.apply..",
                        "io.certform.workflow..", "io.certform.state..", "io.certform.manifest..", "io.certform.cli..",
                        "io.certform.remote..", "io.certform.report..", "io.certform.api..", "io.certform.provider..",
                        "io.certform.rollout..", "io.certform.verify..")
                .orShould().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("the issuer orders, solves and downloads; the apply step that calls it journals and reports"));
    }

    @Test
    void base_importsNoOtherCertformPackage() {
        check(noClasses().that().resideInAPackage("io.certform.base..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.certform..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("io.certform.base..")))
                .because("base is the vocabulary every stage shares"));
    }

    @Test
    void stateBackends_dependNotOnEachOther() {
        check(noClasses().that().resideInAPackage("io.certform.state.local..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.state.postgres..")
                .because("the local file store and the PostgreSQL store share only the rules in state"));
        check(noClasses().that().resideInAPackage("io.certform.state.postgres..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.state.local..")
                .because("the local file store and the PostgreSQL store share only the rules in state"));
    }

    @Test
    void stateSharedRules_dependOnNoBackend() {
        check(noClasses().that().resideInAPackage("io.certform.state")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.state.local..",
                        "io.certform.state.postgres..")
                .because("the state format, the journal and the store contract are the backends' common ground"));
    }

    @Test
    void stateStores_areChosenInOnePlace() {
        check(noClasses().that().resideOutsideOfPackage("io.certform.state..")
                .and().doNotHaveFullyQualifiedName("io.certform.workflow.StateStores")
                .should().callConstructorWhere(com.tngtech.archunit.core.domain.JavaConstructorCall.Predicates
                        .target(com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                com.tngtech.archunit.base.DescribedPredicate.describe("a state store",
                                        c -> c.isAssignableTo("io.certform.state.StateStore")))))
                .because("workflow.StateStores is the one place a command's state store is chosen"));
    }

    @Test
    void report_callsNoApi_andHoldsNoHtml() {
        check(noClasses().that().resideInAPackage("io.certform.report")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.report.html..", "io.certform.api..",
                        "io.certform.apply..", "io.certform.provider..", "okhttp3..", "java.net.http..")
                .because("the report's model is built from the manifest, the state and the files, without the API,"
                        + " and is rendered elsewhere"));
    }

    @Test
    void reportHtml_rendersTheModelItIsGiven() {
        check(noClasses().that().resideInAPackage("io.certform.report.html..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.certform..")
                        .and(com.tngtech.archunit.base.DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                                "io.certform.report..", "io.certform.base.."))))
                .orShould().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.sql..")
                .because("the page shows the model it is given: it reads no file and no state"));
    }

    @Test
    void keystore_isItsOwn_neverPrints_andTheStateNeverReachesIt() {
        check(noClasses().that().resideInAPackage("io.certform.state..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.keystore..")
                .because("the state never holds a key: issued keys live in the key store only"));
        check(noClasses().that().resideInAPackage("io.certform.keystore..")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.plan..", "io.certform.apply..",
                        "io.certform.workflow..", "io.certform.manifest..", "io.certform.cli..", "io.certform.remote..",
                        "io.certform.report..", "io.certform.api..", "io.certform.state", "io.certform.state.local..")
                .orShould().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("the key store keeps keys and says nothing: it knows the PostgreSQL location it is given,"
                        + " nothing else of the state"));
        check(noClasses().that().resideInAPackage("io.certform.keystore.postgres..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.certform.state.postgres..")
                        .and(com.tngtech.archunit.base.DescribedPredicate.describe("not PostgresLocation",
                                c -> !c.getName().startsWith("io.certform.state.postgres.PostgresLocation"))))
                .because("the PostgreSQL key store reuses the state's location, not its internals"));
        check(noClasses().that().resideInAPackage("io.certform.keystore")
                .should().dependOnClassesThat().resideInAnyPackage("io.certform.keystore.local..",
                        "io.certform.keystore.postgres..", "io.certform.state..")
                .because("the key store's encoding is the backends' common ground"));
        check(noClasses().that().resideInAPackage("io.certform.keystore.local..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.keystore.postgres..")
                .because("the key store's backends share only the rules in keystore"));
        check(noClasses().that().resideInAPackage("io.certform.keystore.postgres..")
                .should().dependOnClassesThat().resideInAPackage("io.certform.keystore.local..")
                .because("the key store's backends share only the rules in keystore"));
    }
}
