package io.upstreamoauth.agent.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes TLS sockets that take {@code cache.redis.server-name} as the peer's name, whatever address
 * was connected to: the JDK then sends it as SNI and checks the certificate against it alone.
 * With only SNI set, the JDK falls back to the connected host when the certificate does not hold
 * the SNI name, so a certificate for the IP address would pass a check meant for the name.
 */
final class ServerNameSocketFactory extends SSLSocketFactory {

  private final SSLSocketFactory delegate;
  private final String serverName;

  ServerNameSocketFactory(SSLSocketFactory delegate, String serverName) {
    this.delegate = delegate;
    this.serverName = serverName;
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
    return delegate.createSocket(socket, serverName, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return layer(new Socket(host, port), port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return layer(new Socket(host, port, localHost, localPort), port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return layer(new Socket(host, port), port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
    return layer(new Socket(address, port, localAddress, localPort), port);
  }

  private Socket layer(Socket plain, int port) throws IOException {
    try {
      return createSocket(plain, serverName, port, true);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }
}
