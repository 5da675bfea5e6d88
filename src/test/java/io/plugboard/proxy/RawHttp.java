package io.plugboard.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client library will send (a forged Host, hop-by-hop
 * headers, raw dot segments) and to see every response header exactly as it came over the wire.
 */
public final class RawHttp {

    public record Response(int status, List<String[]> headers, byte[] body) {

        public List<String> all(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        public boolean has(String name) {
            return !all(name).isEmpty();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /** Sends the request head (lines without the final blank line; Connection: close is added) and a body. */
    public static Response exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String request = head.strip().replace("\n", "\r\n") + "\r\n"
                    + (body.length > 0 ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (java.net.SocketException e) {
                // The server answered (a refusal) and closed before taking the whole body, as it may: its answer
                // is already on the way, so read it, as an HTTP client does.
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
        }
        var response = new Response(status, headers, new byte[0]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (response.all("Transfer-Encoding").stream().anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].strip(), 16); size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (response.has("Content-Length")) {
            body.write(in.readNBytes(Integer.parseInt(response.all("Content-Length").getFirst())));
        } else {
            in.transferTo(body);
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        var sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
