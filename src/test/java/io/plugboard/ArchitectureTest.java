package io.plugboard;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.server.auth.AnonymousAllowed;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.Entity;

/**
 * The package rules of ARCHITECTURE.md, checked on the compiled main classes. (ArchUnit's JUnit 5
 * engine runs on the JUnit 6 platform used here.)
 */
@AnalyzeClasses(packages = "io.plugboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** Spring Data repositories and classes marked {@code @Repository} (hand-written SQL stores). */
    private static final DescribedPredicate<JavaClass> REPOSITORIES =
            assignableTo(org.springframework.data.repository.Repository.class)
                    .or(annotatedWith(org.springframework.stereotype.Repository.class))
                    .as("are repositories (Spring Data or @Repository)");

    private static final DescribedPredicate<JavaClass> PERSISTENCE = REPOSITORIES
            .or(resideInAnyPackage("org.springframework.data.repository..", "org.springframework.jdbc..",
                    "jakarta.persistence..", "org.hibernate.."))
            .or(annotatedWith(Entity.class))
            .as("repositories, JdbcTemplate, EntityManager or JPA entities");

    @ArchTest
    static final ArchRule viewsDoNotTouchPersistence = noClasses()
            .that().resideInAPackage("io.plugboard..ui..")
            .should().dependOnClassesThat(PERSISTENCE)
            .because("views call their feature's service, which owns the data access and the tenant check");

    @ArchTest
    static final ArchRule repositoriesAreUsedOnlyInsideTheirOwnPackage = classes()
            .that(REPOSITORIES).and().resideInAPackage("io.plugboard..")
            .should(beAccessedOnlyFromTheirOwnPackage())
            .because("other features and views go through the feature's service");

    @ArchTest
    static final ArchRule securityKernelDependsOnNoFeature = noClasses()
            .that().resideInAPackage("io.plugboard.security..")
            .should().dependOnClassesThat(resideInAPackage("io.plugboard..")
                    .and(not(resideInAPackage("io.plugboard.security..")))
                    .and(not(resideInAPackage("io.plugboard.common.."))))
            .because("features depend on the security kernel, never the other way round "
                    + "(common holds only the shared failure types)");

    @ArchTest
    static final ArchRule topLevelPackagesAreFreeOfCycles = slices()
            .matching("io.plugboard.(*)..").namingSlices("$1")
            .should().beFreeOfCycles();

    /*
     * JSR-250 method security is off (it proxied the views), so these annotations protect nothing on a
     * service: services use @PreAuthorize. On views and layouts Vaadin's navigation access control reads them.
     */
    @ArchTest
    static final ArchRule accessAnnotationsOnlyOnViewsAndLayouts = classes()
            .that().areAnnotatedWith(RolesAllowed.class).or().areAnnotatedWith(PermitAll.class)
            .or().areAnnotatedWith(DenyAll.class).or().areAnnotatedWith(AnonymousAllowed.class)
            .should().beAssignableTo(Component.class)
            .because("Spring does not enforce JSR-250 annotations here; services use @PreAuthorize");

    @ArchTest
    static final ArchRule noJsr250OnMethods = noMethods()
            .should().beAnnotatedWith(RolesAllowed.class).orShould().beAnnotatedWith(PermitAll.class)
            .orShould().beAnnotatedWith(DenyAll.class)
            .because("Spring does not enforce JSR-250 annotations here; services use @PreAuthorize");

    @ArchTest
    static final ArchRule platformFallbackIsForTestHarnessesOnly = noClasses()
            .should().callMethod(io.plugboard.security.TenantScope.class, "withPlatformFallback", String.class,
                    Runnable.class)
            .because("application code states its scope: TenantScope.platform(reason, ...) or TenantScope.tenant(...)");

    @ArchTest
    static final ArchRule onlyTheDatabaseLayerFollowsTenantScopes = noClasses()
            .that().resideOutsideOfPackage("io.plugboard.database..")
            .should().callMethod(io.plugboard.security.TenantScope.class, "addListener", Runnable.class)
            .because("one class tells PostgreSQL the scope (TenantScopedDataSource)");

    private static ArchCondition<JavaClass> beAccessedOnlyFromTheirOwnPackage() {
        return new ArchCondition<>("be accessed only from their own package") {
            @Override
            public void check(JavaClass repository, ConditionEvents events) {
                for (Dependency dependency : repository.getDirectDependenciesToSelf()) {
                    if (!dependency.getOriginClass().getPackageName().equals(repository.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
