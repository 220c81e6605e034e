package io.upstreamoauth.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A self-signed certificate for localhost and 127.0.0.1, made once per test run with keytool. */
public final class TlsKeystore {

  public static final String PASSWORD = "changeit";
  private static Path keystore;

  private TlsKeystore() {}

  /** Returns a PKCS12 keystore that serves as both the server's key store and the client's trust store. */
  public static synchronized Path get() throws Exception {
    if (keystore == null) {
      Path dir = Files.createTempDirectory("it-tls");
      Path file = dir.resolve("localhost.p12");
      Process keytool =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                      "-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048",
                      "-validity", "30", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                      "-storetype", "PKCS12", "-keystore", file.toString(),
                      "-storepass", PASSWORD, "-keypass", PASSWORD))
              .redirectErrorStream(true)
              .start();
      String output = new String(keytool.getInputStream().readAllBytes());
      if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      keystore = file;
    }
    return keystore;
  }
}
