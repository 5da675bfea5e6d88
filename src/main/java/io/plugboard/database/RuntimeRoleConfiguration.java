package io.plugboard.database;

import javax.sql.DataSource;
import liquibase.integration.spring.SpringLiquibase;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Checks the runtime role once the schema is migrated (so its tables exist), before anything serves or runs. */
@Configuration(proxyBeanMethods = false)
class RuntimeRoleConfiguration {

    /** The role's privileges as checked; a bean so that start-up fails before the web server and the jobs start. */
    @Bean
    RuntimeRoleCheck.Privileges runtimeRolePrivileges(
            DataSource dataSource, ObjectProvider<SpringLiquibase> migrations,
            @Value("${plugboard.database.allow-privileged-runtime-role}") boolean allowPrivileged) {
        migrations.ifAvailable(migrated -> { });
        return RuntimeRoleCheck.verify(dataSource, allowPrivileged);
    }

    /** The leakproof marks the searches' indexes need under row-level security; a warning when one is missing. */
    @Bean
    LeakproofMarks leakproofMarks(DataSource dataSource, ObjectProvider<SpringLiquibase> migrations) {
        migrations.ifAvailable(migrated -> { });
        return new LeakproofMarks(LeakproofCheck.warnIfMissing(dataSource));
    }

    /** What the check found at start-up: the functions not marked leakproof. */
    record LeakproofMarks(java.util.List<String> missing) {
    }
}
