package io.upstreamoauth.benchmark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A minimal HTTP/1.1 server with keep-alive, a thread per connection: what a per-request
 * benchmark needs, and nothing the JDK's {@code com.sun.net.httpserver} does (at tens of
 * thousands of keep-alive requests on one connection it loses a request now and then, and the
 * client waits forever).
 */
final class KeepAliveServer implements AutoCloseable {

  /** What the handler answers: status and body, from the path and the request headers (lower-case names). */
  interface Handler extends BiFunction<String, Map<String, String>, Object[]> {}

  private final ServerSocket socket;
  private volatile boolean open = true;

  KeepAliveServer(Handler handler) throws IOException {
    socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (open) {
        try {
          Socket connection = socket.accept();
          connection.setTcpNoDelay(true);
          Thread worker = new Thread(() -> serve(connection, handler), "keep-alive-connection");
          worker.setDaemon(true);
          worker.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "keep-alive-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  private static void serve(Socket connection, Handler handler) {
    try (Socket s = connection) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
          return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String header; !(header = line(in)).isEmpty(); ) {
          int colon = header.indexOf(':');
          headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        in.readNBytes(length);
        String path = requestLine.split(" ")[1];
        Object[] answer = handler.apply(path, headers);
        byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + answer[0] + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the client went away
    }
  }

  /** Reads a CRLF-terminated line; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') {
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(c);
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    open = false;
    socket.close();
  }
}
