package io.upstreamoauth.benchmark;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The measured application: a hello world that makes one HTTP call and prints its status and
 * its peak resident memory (VmHWM, Linux).
 */
public final class HelloOneCall {

  public static void main(String[] args) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(args[0]).openConnection();
    int status = connection.getResponseCode();
    try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    System.out.println("STATUS " + status);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        System.out.println("VMHWM " + line.replaceAll("[^0-9]", ""));
      }
    }
  }
}
