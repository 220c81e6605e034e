package io.upstreamoauth.it.support;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A server TLS context with a self-signed certificate for localhost that no test app trusts (its
 * trust store is {@link TlsKeystore}'s, another certificate): an IdP impostor. Made once per run.
 */
public final class UntrustedTls {

  private static final String PASSWORD = "changeit";
  private static SSLContext context;

  private UntrustedTls() {}

  public static synchronized SSLContext serverContext() throws Exception {
    if (context == null) {
      Path file = Files.createTempDirectory("it-untrusted-tls").resolve("impostor.p12");
      Process keytool =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                      "-genkeypair", "-alias", "impostor", "-keyalg", "EC", "-groupname", "secp256r1",
                      "-validity", "30", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                      "-storetype", "PKCS12", "-keystore", file.toString(),
                      "-storepass", PASSWORD, "-keypass", PASSWORD))
              .redirectErrorStream(true)
              .start();
      String output = new String(keytool.getInputStream().readAllBytes());
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        store.load(in, PASSWORD.toCharArray());
      }
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext built = SSLContext.getInstance("TLS");
      built.init(keys.getKeyManagers(), null, null);
      context = built;
    }
    return context;
  }
}
