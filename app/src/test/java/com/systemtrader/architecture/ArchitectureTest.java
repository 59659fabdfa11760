package com.systemtrader.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape the modules issue asks for, checked on the compiled main classes: a vendor-neutral core, one adapter
 * package per vendor that does not know the other, and a core that knows nothing of the application, the simulator
 * or the tools. The packages are today's; the rules carry over to the modules they become.
 * What the core needs of a vendor comes through {@code vendor.VendorModule}, which each adapter registers.
 */
class ArchitectureTest {
    /** Core packages: what a library user depends on, vendor-neutral. */
    private static final String[] CORE = {"com.systemtrader.schema..", "com.systemtrader.codec..",
            "com.systemtrader.sip..", "com.systemtrader.calendar..", "com.systemtrader.credentials..",
            "com.systemtrader.collector..", "com.systemtrader.clean..", "com.systemtrader.bars..",
            "com.systemtrader.cache..", "com.systemtrader.storage..", "com.systemtrader.data..",
            "com.systemtrader.backfill..", "com.systemtrader.config..", "com.systemtrader.rest..",
            "com.systemtrader.support..", "com.systemtrader.vendor..", "com.systemtrader.sink.."};
    private static final String POLYGON = "com.systemtrader.provider.polygon..";
    private static final String ALPACA = "com.systemtrader.provider.alpaca..";

    /** The enums that name the vendors (values in the data and in configuration; the rule is about using them). */
    private static final Set<String> VENDOR_ENUMS = Set.of("com.systemtrader.schema.DataSource",
            "com.systemtrader.credentials.Provider");

    private static JavaClasses main;

    @BeforeAll static void load() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.systemtrader");
    }

    @Test void theCoreDependsOnNoApplicationSimulatorOrToolsCode() {
        ArchRule rule = noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("com.systemtrader.cli..", "com.systemtrader.service..",
                        "com.systemtrader.simulator..", "com.systemtrader.bench..", "com.systemtrader.tools..");
        rule.check(main);
    }

    /** The Kafka bus builds on the core's seam only: no vendor, application, simulator or tools code. */
    @Test void theBusDependsOnTheCoreOnly() {
        noClasses().that().resideInAPackage("com.systemtrader.bus..").should().dependOnClassesThat()
                .resideInAnyPackage(POLYGON, ALPACA, "com.systemtrader.cli..", "com.systemtrader.service..",
                        "com.systemtrader.simulator..", "com.systemtrader.bench..", "com.systemtrader.tools..")
                .check(main);
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat()
                .resideInAnyPackage("com.systemtrader.bus..", "org.apache.kafka..").check(main);
    }

    @Test void oneVendorsAdapterDoesNotKnowTheOther() {
        noClasses().that().resideInAPackage(POLYGON).should().dependOnClassesThat().resideInAPackage(ALPACA)
                .check(main);
        noClasses().that().resideInAPackage(ALPACA).should().dependOnClassesThat().resideInAPackage(POLYGON)
                .check(main);
    }

    @Test void adaptersDependOnNoApplicationSimulatorOrToolsCode() {
        noClasses().that().resideInAnyPackage(POLYGON, ALPACA).should().dependOnClassesThat()
                .resideInAnyPackage("com.systemtrader.cli..", "com.systemtrader.service..",
                        "com.systemtrader.simulator..", "com.systemtrader.bench..", "com.systemtrader.tools..")
                .check(main);
    }

    @Test void theCoreNamesNoVendorPackageOrType() {
        noClasses().that().resideInAnyPackage(CORE).should().dependOnClassesThat(vendorSpecific())
                .orShould().haveSimpleNameStartingWith("Polygon").orShould().haveSimpleNameStartingWith("Alpaca")
                .check(main);
    }

    @Test void theCoreDoesNotBranchOnTheVendor() {
        noClasses().that().resideInAnyPackage(CORE).and(DescribedPredicate.not(in(VENDOR_ENUMS)))
                .should().accessField(com.systemtrader.schema.DataSource.class, "POLYGON")
                .orShould().accessField(com.systemtrader.schema.DataSource.class, "ALPACA")
                .orShould().accessField(com.systemtrader.credentials.Provider.class, "POLYGON")
                .orShould().accessField(com.systemtrader.credentials.Provider.class, "ALPACA")
                .check(main);
    }

    @Test void constructorsStartNoThread() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors().should(
                new com.tngtech.archunit.lang.ArchCondition<com.tngtech.archunit.core.domain.JavaConstructor>(
                        "start no thread (constructors start nothing: start() starts, close() drains)") {
                    @Override public void check(com.tngtech.archunit.core.domain.JavaConstructor c,
                                                com.tngtech.archunit.lang.ConditionEvents events) {
                        c.getMethodCallsFromSelf().stream()
                                .filter(call -> call.getName().equals("start")
                                        && call.getTargetOwner().isAssignableTo(Thread.class))
                                .forEach(call -> events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(
                                        c, call.getDescription())));
                    }
                }).check(main);
    }

    /** Classes whose top-level class is in {@code names} (a switch's synthetic class belongs to its outer one). */
    private static DescribedPredicate<JavaClass> in(Set<String> names) {
        return DescribedPredicate.describe("are listed", c -> names.contains(outer(c)));
    }

    private static String outer(JavaClass c) {
        int dollar = c.getName().indexOf('$');
        return dollar < 0 ? c.getName() : c.getName().substring(0, dollar);
    }

    private static DescribedPredicate<JavaClass> vendorSpecific() {
        return DescribedPredicate.describe("are a vendor's (provider packages, Polygon*/Alpaca* types)", c ->
                c.getPackageName().startsWith("com.systemtrader.provider.")
                        || (c.getPackageName().startsWith("com.systemtrader.")
                        && (c.getSimpleName().startsWith("Polygon") || c.getSimpleName().startsWith("Alpaca"))));
    }
}
