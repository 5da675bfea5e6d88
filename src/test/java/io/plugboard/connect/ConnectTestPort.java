package io.plugboard.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Picks a free port before the context starts and makes it both {@code server.port} and the port of
 * {@code plugboard.public-url}: the redirect URI registered at the OAuth server and the connect links then
 * point at this very server. (The port is free when chosen; another process could in theory take it in
 * the seconds before Tomcat binds it — an ephemeral port chosen by the OS makes that very unlikely.)
 */
class ConnectTestPort implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port = freePort();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("connect-test-port", Map.of(
                "server.port", port,
                "plugboard.public-url", "http://localhost:" + port)));
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
