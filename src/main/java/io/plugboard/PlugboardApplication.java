package io.plugboard;

import io.plugboard.audit.AuditExportVerifier;
import io.plugboard.crypto.AuditCheckpointKeys;
import io.plugboard.crypto.MasterKeyCommand;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/*
 * The OAuth2 server starters back the demo sandbox only (io.plugboard.sandbox), which configures its
 * authorization server and resource server by hand and only in demo mode. Boot's auto-configurations
 * would add a signing key, a JwtDecoder and server settings in every mode, so they stay off.
 */
@SpringBootApplication(exclude = {OAuth2AuthorizationServerAutoConfiguration.class,
        OAuth2AuthorizationServerJwtAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
        OAuth2ResourceServerWebSecurityAutoConfiguration.class})
@ConfigurationPropertiesScan
@EnableScheduling
public class PlugboardApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("master-key")) {
            System.exit(MasterKeyCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length > 0 && args[0].equals("audit-verify")) {
            System.exit(AuditExportVerifier.run(Arrays.copyOfRange(args, 1, args.length), AuditCheckpointKeys::load,
                    System.out, System.err));
        }
        SpringApplication.run(PlugboardApplication.class, args);
    }

    /** One clock for the whole application, so tests can move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
