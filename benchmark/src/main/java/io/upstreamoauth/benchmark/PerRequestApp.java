package io.upstreamoauth.benchmark;

import com.sun.management.ThreadMXBean;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The measured application of {@link PerRequestBenchmark}: makes requests on one thread over
 * keep-alive loopback and prints that thread's CPU time and allocated bytes per request, after a
 * warm-up. Args: {@code client url count warmup [header-value]}: client {@code huc} or {@code jdk};
 * with a header value the app sets {@code Authorization} itself (the baseline the agent is
 * compared with).
 */
public final class PerRequestApp {

  public static void main(String[] args) throws Exception {
    String client = args[0];
    URL url = new URL(args[1]);
    int count = Integer.parseInt(args[2]);
    int warmup = Integer.parseInt(args[3]);
    String authorization = args.length > 4 ? args[4] : null;
    Runnable call = "jdk".equals(client) ? jdk(url, authorization) : huc(url, authorization);
    for (int i = 0; i < warmup; i++) {
      call.run();
    }
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long process0 = os.getProcessCpuTime();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long alloc0 = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < count; i++) {
      call.run();
    }
    long alloc = threads.getThreadAllocatedBytes(id) - alloc0;
    long cpu = threads.getCurrentThreadCpuTime() - cpu0;
    long process = os.getProcessCpuTime() - process0;
    // thread CPU ns, thread allocated bytes, process CPU ns: per request
    System.out.println("PERREQ " + (cpu / count) + " " + (alloc / count) + " " + (process / count));
  }

  private static Runnable huc(URL url, String authorization) {
    byte[] buffer = new byte[256];
    return () -> {
      try {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (authorization != null) {
          connection.setRequestProperty("Authorization", authorization);
        }
        if (connection.getResponseCode() != 200) {
          throw new IllegalStateException("status " + connection.getResponseCode());
        }
        try (InputStream in = connection.getInputStream()) {
          while (in.read(buffer) != -1) {
            // drain, so the connection goes back to the keep-alive cache
          }
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static Runnable jdk(URL url, String authorization) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder builder = HttpRequest.newBuilder(url.toURI());
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    return () -> {
      try {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
          throw new IllegalStateException("status " + response.statusCode());
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  private PerRequestApp() {}

}
