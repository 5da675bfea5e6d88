package io.plugboard.bench;

import io.plugboard.PlatformScopeForTests;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The application the credential benchmarks run against: the real application context (Liquibase
 * creates the schema and its indexes, as at start-up) on an embedded PostgreSQL whose data directory
 * survives between runs ({@code target/bench-data} unless {@code -Dplugboard.bench.data-dir=…}), so the
 * million rows are generated once. {@code ./mvnw clean} throws them away. Benchmarks using exactly this
 * annotation share one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("benchmark")
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=${plugboard.bench.data-dir:target/bench-data}",
        "plugboard.demo.enabled=true",
        "plugboard.demo.password=bench-demo-password",
        "plugboard.demo.client-id=pbc_demo_bench",
        // Tests run in Vaadin's development mode, whose component tracker keeps a stack trace for every
        // component created or attached (several MB per session here); production mode has no tracker.
        "vaadin.devmode.componentTracker.enabled=false",
})
@Import(SqlCapture.class)
public @interface CredentialBenchmarkApp {

    /** The tenant admin whose session the benchmarks act in (the demo tenant holds the million rows). */
    String ADMIN = "admin@demo.local";
}
