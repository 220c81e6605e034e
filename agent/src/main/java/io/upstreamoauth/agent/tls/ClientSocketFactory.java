package io.upstreamoauth.agent.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The sockets of the agent's own HTTPS connections: TLS from the agent's context, each socket
 * checking the server's host name in the handshake (endpoint identification "HTTPS", RFC 2818
 * §3.1) unless verification is off, so no application-wide {@code HostnameVerifier} can waive it.
 *
 * <p>The plain TCP socket under each TLS socket is made here and shown to a {@link Watch} first,
 * which may close it from another thread to abort the exchange: closing the TCP socket ends a
 * blocked read at once, in the handshake or after it, whereas closing the TLS socket may wait for
 * the handshake's locks. {@link #createSocket()} therefore returns that plain, unconnected socket;
 * {@code HttpsURLConnection} connects it and asks for the TLS layer over it.
 */
public final class ClientSocketFactory extends SSLSocketFactory {

  /** Sees each plain socket before it is used. */
  public interface Watch {
    /**
     * Called with each plain socket before it connects or carries TLS.
     *
     * @throws IOException to refuse it (the socket is then closed), e.g. after a deadline
     */
    void opened(Socket plain) throws IOException;
  }

  private static final Watch NONE =
      new Watch() {
        @Override
        public void opened(Socket plain) {}
      };

  private final SSLSocketFactory tls;
  private final boolean verify;
  private final Watch watch;

  /**
   * @param verify whether the server's host name is checked (the certificate is checked by the
   *     context's trust managers)
   */
  public ClientSocketFactory(SSLContext context, boolean verify) {
    this(context.getSocketFactory(), verify, NONE);
  }

  private ClientSocketFactory(SSLSocketFactory tls, boolean verify, Watch watch) {
    this.tls = tls;
    this.verify = verify;
    this.watch = watch;
  }

  /** Returns a factory like this one whose plain sockets {@code watch} sees. */
  public ClientSocketFactory watchedBy(Watch watch) {
    return new ClientSocketFactory(tls, verify, watch);
  }

  @Override
  public Socket createSocket() throws IOException {
    return watched(new Socket());
  }

  @Override
  public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
    watched(plain); // a socket this factory did not make: a proxy tunnel's
    SSLSocket socket = (SSLSocket) tls.createSocket(plain, host, port, autoClose);
    if (verify) {
      SSLParameters parameters = socket.getSSLParameters(); // keeps the SNI name the JDK chose
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
    }
    return socket;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null, host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort), host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    InetSocketAddress remote = new InetSocketAddress(host, port);
    return connected(remote, null, remote.getHostString(), port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress localHost, int localPort) throws IOException {
    InetSocketAddress remote = new InetSocketAddress(host, port);
    return connected(remote, new InetSocketAddress(localHost, localPort), remote.getHostString(), port);
  }

  /** Connects a watched plain socket and layers TLS over it; the host is a name or a literal, never looked up. */
  private Socket connected(SocketAddress remote, SocketAddress local, String host, int port) throws IOException {
    Socket plain = createSocket();
    try {
      if (local != null) {
        plain.bind(local);
      }
      plain.connect(remote);
      return createSocket(plain, host, port, true);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  private Socket watched(Socket plain) throws IOException {
    try {
      watch.opened(plain);
      return plain;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return tls.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return tls.getSupportedCipherSuites();
  }
}
