package io.plugboard.observability;

import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.annotation.Configuration;

/** Starts an empty application with Plugboard's configuration and logs one line, for {@link LogFormatTest}'s child JVM. */
public final class LogFormatMain {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    public static void main(String[] args) {
        var application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        try (var context = application.run(args)) {
            LoggerFactory.getLogger(LogFormatMain.class).info("log format check {}", context.getId());
        }
    }
}
