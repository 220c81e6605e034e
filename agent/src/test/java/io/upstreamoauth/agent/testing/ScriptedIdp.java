package io.upstreamoauth.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A token endpoint on a raw server socket, plain or TLS, that answers, stays silent or drip-feeds
 * as scripted, and records each HTTP request it read and whether the client hung up: for tests of
 * what the agent sends and when it gives up, with no HTTP library between the test and the wire.
 */
public final class ScriptedIdp implements AutoCloseable {

  /** What the IdP does with each connection. */
  public enum Script {
    /** Reads the request, answers 200 with a token. */
    ANSWER,
    /** Accepts the TCP connection and never sends a byte (no TLS handshake either). */
    SILENT,
    /** Starts a TLS handshake record, then sends its bytes one by one, never finishing it. */
    DRIP_HANDSHAKE,
    /** Reads the request, sends a status line, then header bytes one by one, never ending them. */
    DRIP_HEADERS,
    /** Reads the request, sends all headers (Content-Length 100000), then body bytes one by one. */
    DRIP_BODY
  }

  public static final String TOKEN = "scripted-token-0123456789";

  private final ServerSocket server;
  private final SSLContext tls; // null: plain HTTP
  private final long dripMillis;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<CountDownLatch> hangUps = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile Script[] scripts = {Script.ANSWER};
  private final AtomicInteger scripted = new AtomicInteger();
  private volatile boolean closed;

  private ScriptedIdp(SSLContext tls, long dripMillis) throws IOException {
    this.tls = tls;
    this.dripMillis = dripMillis;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "scripted-idp-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a plain HTTP IdP that drips a byte every {@code dripMillis}. */
  public static ScriptedIdp plain(long dripMillis) throws IOException {
    return new ScriptedIdp(null, dripMillis);
  }

  /** Starts an HTTPS IdP serving the key and certificate of {@code serverContext}. */
  public static ScriptedIdp tls(SSLContext serverContext, long dripMillis) throws IOException {
    return new ScriptedIdp(serverContext, dripMillis);
  }

  /**
   * Sets what the next connections get: the first script for the first connection, the second for
   * the second, and so on, the last for all the rest (e.g. DRIP_HEADERS, then ANSWER).
   */
  public ScriptedIdp script(Script... sequence) {
    this.scripts = sequence.clone();
    this.scripted.set(0);
    return this;
  }

  /** Returns the token endpoint, on host {@code localhost}. */
  public String tokenEndpoint() {
    return (tls != null ? "https" : "http") + "://localhost:" + server.getLocalPort() + "/token";
  }

  /** Returns the HTTP requests read so far (head and body as text). */
  public List<String> requests() {
    return requests;
  }

  /** Returns the number of TCP connections accepted so far. */
  public int connections() {
    return hangUps.size();
  }

  /** Waits until the client closed the last connection; returns false if it did not in time. */
  public boolean awaitHangUp(long millis) throws InterruptedException {
    return !hangUps.isEmpty() && hangUps.get(hangUps.size() - 1).await(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        CountDownLatch hangUp = new CountDownLatch(1);
        hangUps.add(hangUp);
        Script[] sequence = scripts;
        Script now = sequence[Math.min(scripted.getAndIncrement(), sequence.length - 1)];
        Thread handler = new Thread(() -> handle(socket, now, hangUp), "scripted-idp-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket plain, Script now, CountDownLatch hangUp) {
    try {
      if (now == Script.SILENT || now == Script.DRIP_HANDSHAKE) {
        plain.getInputStream().read(new byte[4096]); // the ClientHello, or a request
        watchForHangUp(plain.getInputStream(), hangUp);
        if (now == Script.DRIP_HANDSHAKE) {
          // a handshake record announcing 16 KiB, then its body a byte at a time
          drip(plain.getOutputStream(), new byte[] {0x16, 0x03, 0x03, 0x40, 0x00}, (byte) 0, hangUp);
        }
        hangUp.await();
        return;
      }
      Socket socket = plain;
      if (tls != null) {
        SSLSocket layered = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        layered.setUseClientMode(false);
        socket = layered;
      }
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String request = readRequest(in);
      if (request == null) {
        hangUp.countDown();
        return;
      }
      requests.add(request);
      switch (now) {
        case ANSWER:
          String body = "{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":60}";
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
              + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
          out.flush();
          watchForHangUp(in, hangUp);
          break;
        case DRIP_HEADERS:
          watchForHangUp(in, hangUp);
          drip(out, ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Drip: "), (byte) 'x', hangUp);
          break;
        default:
          watchForHangUp(in, hangUp);
          drip(out, ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"),
              (byte) ' ', hangUp);
      }
    } catch (IOException | InterruptedException e) {
      hangUp.countDown(); // the client went away mid-handshake or mid-request
    }
  }

  /** Sends {@code head}, then {@code filler} every dripMillis until the client hangs up. */
  private void drip(OutputStream out, byte[] head, byte filler, CountDownLatch hangUp) throws InterruptedException {
    try {
      out.write(head);
      out.flush();
      while (!closed && !hangUp.await(dripMillis, TimeUnit.MILLISECONDS)) {
        out.write(filler);
        out.flush();
      }
    } catch (IOException e) {
      hangUp.countDown();
    }
  }

  /** Counts the client's hang-up down when a read on the connection ends (EOF, reset, bad TLS). */
  private static void watchForHangUp(InputStream in, CountDownLatch hangUp) {
    Thread watcher = new Thread(() -> {
      try {
        while (in.read() != -1) {
          // the client sends nothing more; anything is ignored
        }
      } catch (IOException e) {
        // reset, or TLS ended without close_notify: gone either way
      }
      hangUp.countDown();
    }, "scripted-idp-hang-up");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Reads one request (head up to the blank line, then Content-Length bytes); null at EOF. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      if (head.size() >= 4 && head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring("content-length:".length()).trim());
          }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
