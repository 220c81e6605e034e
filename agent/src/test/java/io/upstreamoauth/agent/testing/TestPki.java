package io.upstreamoauth.agent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority in a directory, made with the openssl command for each test
 * run: a CA, then server and client certificates it signs (PEM files named after them).
 */
public final class TestPki {

  private final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  /** Creates {@code ca.pem} and {@code ca.key} in dir. */
  public static TestPki create(Path dir) throws Exception {
    TestPki pki = new TestPki(dir);
    pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=test-ca");
    return pki;
  }

  /** Creates {@code name.pem} and {@code name.key}, signed by the CA, with one x509v3 extension line. */
  public void issue(String name, String commonName, String extension) throws Exception {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
    Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
  }

  public void openssl(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    run(command);
  }

  /** Runs a command in the directory; fails with its output when it fails. */
  public void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }

  /** Returns the path of a file in the directory. */
  public String file(String name) {
    return dir.resolve(name).toString();
  }
}
