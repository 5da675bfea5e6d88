package io.plugboard.connector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that answers every request with {@code 200} and a JSON body it never finishes: one byte every
 * {@code interval}, forever; {@link #startWithHeaders} drips the status line and headers too. No read timeout ever
 * fires (the connection is never silent that long); only a deadline on the whole exchange ends the call. Counts the
 * requests it received.
 */
public final class DrippingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final Duration interval;
    private final boolean dripHeaders;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    private DrippingServer(Duration interval, boolean dripHeaders) throws IOException {
        this.interval = interval;
        this.dripHeaders = dripHeaders;
        this.socket = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("dripping-server").start(this::accept);
    }

    /** Headers at once, then the body a byte at a time. */
    public static DrippingServer start(Duration interval) throws IOException {
        return new DrippingServer(interval, false);
    }

    /** Everything a byte at a time, from the status line on: a client reading only the status waits too. */
    public static DrippingServer startWithHeaders(Duration interval) throws IOException {
        return new DrippingServer(interval, true);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Requests received so far (the request line and headers read). */
    public int requests() {
        return requests.get();
    }

    /** Connections still being dripped on: a client that gave up closed its end, and the next byte found out. */
    public int openConnections() {
        return open.size();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                open.add(connection);
                Thread.ofVirtual().name("dripping-connection").start(() -> drip(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void drip(Socket connection) {
        try (connection) {
            var in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // the request line and headers; the body is left unread
            }
            requests.incrementAndGet();
            OutputStream out = connection.getOutputStream();
            byte[] head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1);
            if (dripHeaders) {
                for (byte b : head) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(interval);
                }
            } else {
                out.write(head);
                out.flush();
            }
            while (true) {
                out.write(' ');
                out.flush();
                Thread.sleep(interval);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server closed
        } finally {
            open.remove(connection);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : open) {
            connection.close();
        }
    }
}
