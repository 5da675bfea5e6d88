package io.plugboard;

import io.plugboard.crypto.MasterKeyCommand;
import java.time.Clock;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class PlugboardApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("master-key")) {
            System.exit(MasterKeyCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(PlugboardApplication.class, args);
    }

    /** One clock for the whole application, so tests can move time. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
