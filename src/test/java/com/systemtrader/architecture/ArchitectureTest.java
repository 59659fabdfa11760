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
 *
 * <p>{@link #NOT_YET_NEUTRAL} lists the core classes that still name a vendor, each to be moved behind an adapter
 * interface (as {@code vendor.VendorRest} did for the backfill and the REST tier). A new core class that names a
 * vendor fails the test; so does a listed class that no longer does (take it off the list).
 */
class ArchitectureTest {
    /** Core packages: what a library user depends on, vendor-neutral. */
    private static final String[] CORE = {"com.systemtrader.schema..", "com.systemtrader.codec..",
            "com.systemtrader.sip..", "com.systemtrader.calendar..", "com.systemtrader.credentials..",
            "com.systemtrader.collector..", "com.systemtrader.clean..", "com.systemtrader.bars..",
            "com.systemtrader.cache..", "com.systemtrader.storage..", "com.systemtrader.data..",
            "com.systemtrader.backfill..", "com.systemtrader.config..", "com.systemtrader.rest..",
            "com.systemtrader.support..", "com.systemtrader.vendor.."};
    private static final String POLYGON = "com.systemtrader.provider.polygon..";
    private static final String ALPACA = "com.systemtrader.provider.alpaca..";

    /** Core classes that still name a vendor's package or type; the modules issue empties this list. */
    static final Set<String> NOT_YET_NEUTRAL = Set.of(
            // the composition of the REST tier and the library's default provider: to the app / a ServiceLoader
            "com.systemtrader.data.ProviderSetup", "com.systemtrader.data.ProviderSetup$RestClients",
            // vendor credentials and the REST clients' authentication: behind a per-vendor credential spec
            "com.systemtrader.credentials.PolygonKey", "com.systemtrader.credentials.AlpacaKey",
            "com.systemtrader.credentials.APIKeyManager", "com.systemtrader.credentials.CredentialResolver",
            "com.systemtrader.credentials.CredentialResolver$Resolved", "com.systemtrader.rest.RestTransport",
            // the vendors' REST clients: into their provider packages
            "com.systemtrader.provider.polygon.PolygonRestClient", "com.systemtrader.provider.polygon.PolygonRestJson",
            "com.systemtrader.provider.alpaca.AlpacaRestClient", "com.systemtrader.provider.alpaca.AlpacaRestJson");

    /**
     * Core classes that still branch on the vendor (read {@code POLYGON} or {@code ALPACA} of {@code DataSource} or
     * {@code credentials.Provider}), each to get
     * what it needs from the vendor's adapter instead (condition codes mapped to eligibility by the adapter, the
     * default source order from the composition root).
     */
    static final Set<String> STILL_BRANCH_ON_VENDOR = Set.of(
            "com.systemtrader.backfill.BackfillRequest",        // which sources a backfill may name
            "com.systemtrader.clean.DataCleaner",               // condition letters (Alpaca) or ids (Polygon)
            "com.systemtrader.sip.TradeEligibility",            // the same, for the SIP eligibility table
            "com.systemtrader.storage.BatchWrite",              // the same, for a correction's eligibility
            "com.systemtrader.data.RealtimeDataProvider",       // the default order of sources, Polygon first
            "com.systemtrader.storage.journal.EventCodec",      // a stable byte per source in the journal format
            // vendor credentials, their authentication and the composition of the REST clients (see NOT_YET_NEUTRAL)
            "com.systemtrader.credentials.APIKeyManager", "com.systemtrader.credentials.CredentialResolver",
            "com.systemtrader.rest.RestTransport", "com.systemtrader.data.ProviderSetup",
            "com.systemtrader.provider.polygon.PolygonRestClient", "com.systemtrader.provider.polygon.PolygonRestJson",
            "com.systemtrader.provider.alpaca.AlpacaRestClient", "com.systemtrader.provider.alpaca.AlpacaRestJson");

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
        noClasses().that().resideInAnyPackage(CORE).and(notListed()).should().dependOnClassesThat(vendorSpecific())
                .orShould().haveSimpleNameStartingWith("Polygon").orShould().haveSimpleNameStartingWith("Alpaca")
                .check(main);
    }

    @Test void everyListedClassStillNamesAVendor() {
        classes().that(listed()).should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("name a vendor") {
            @Override public void check(JavaClass c, com.tngtech.archunit.lang.ConditionEvents events) {
                boolean names = c.getSimpleName().startsWith("Polygon") || c.getSimpleName().startsWith("Alpaca")
                        || c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(d -> vendorSpecific().test(d.getTargetClass()));
                if (!names) {
                    events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c, c.getName()
                            + " no longer names a vendor: take it off ArchitectureTest.NOT_YET_NEUTRAL"));
                }
            }
        }).check(main);
    }

    @Test void theCoreDoesNotBranchOnTheVendor() {
        noClasses().that().resideInAnyPackage(CORE).and(DescribedPredicate.not(in(STILL_BRANCH_ON_VENDOR)))
                .and(DescribedPredicate.not(in(VENDOR_ENUMS)))
                .should().accessField(com.systemtrader.schema.DataSource.class, "POLYGON")
                .orShould().accessField(com.systemtrader.schema.DataSource.class, "ALPACA")
                .orShould().accessField(com.systemtrader.credentials.Provider.class, "POLYGON")
                .orShould().accessField(com.systemtrader.credentials.Provider.class, "ALPACA")
                .check(main);
    }

    @Test void everyClassListedAsBranchingStillDoes() {
        classes().that(in(STILL_BRANCH_ON_VENDOR)).and().areTopLevelClasses()
                .should(new com.tngtech.archunit.lang.ArchCondition<JavaClass>("read a vendor's enum constant") {
                    @Override public void check(JavaClass c, com.tngtech.archunit.lang.ConditionEvents events) {
                        boolean reads = main.stream().filter(x -> outer(x).equals(c.getName()))
                                .flatMap(x -> x.getFieldAccessesFromSelf().stream())
                                .anyMatch(a -> (a.getTarget().getOwner().isEquivalentTo(
                                        com.systemtrader.schema.DataSource.class) || a.getTarget().getOwner()
                                        .isEquivalentTo(com.systemtrader.credentials.Provider.class))
                                        && (a.getTarget().getName().equals("POLYGON")
                                        || a.getTarget().getName().equals("ALPACA")));
                        if (!reads) {
                            events.add(com.tngtech.archunit.lang.SimpleConditionEvent.violated(c, c.getName()
                                    + " no longer branches on the vendor: take it off STILL_BRANCH_ON_VENDOR"));
                        }
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

    private static DescribedPredicate<JavaClass> listed() {
        return DescribedPredicate.describe("are listed as not yet neutral", c -> NOT_YET_NEUTRAL.contains(c.getName()));
    }

    private static DescribedPredicate<JavaClass> notListed() {
        return DescribedPredicate.not(listed());
    }
}
