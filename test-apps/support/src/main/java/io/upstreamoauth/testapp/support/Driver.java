package io.upstreamoauth.testapp.support;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test apps' command line: send {@code --count} requests from {@code --threads} threads and
 * print one line per request and a summary, for the integration tests to read.
 *
 * <pre>
 * --url U [--url U2 ...] [--method GET|POST] [--body B] [--count N] [--threads T] [--async]
 *       [--header Name:Value] [--until FILE] [--linger FILE] [--pause-ms P] [--trust-all-tls-defaults]
 * (with several --url, each is called --count times, in the order given when --threads is 1)
 * RESULT &lt;i&gt; &lt;status&gt; &lt;body&gt;        (one per request)
 * VIA &lt;i&gt; &lt;client class&gt; &lt;protocol&gt;  (one per response: what really sent it)
 * RESULT &lt;i&gt; ERROR &lt;Exception&gt;: &lt;message&gt;  (the I/O failure: what was thrown, or the
 *                                      IOException under a wrapper's own exception)
 * THROWN &lt;i&gt; &lt;Exception&gt;                (one per error: what the call or its future failed with)
 * SUBMITTED &lt;i&gt; &lt;ms&gt; &lt;ms&gt;           (--async: how long the call took to hand back its future,
 *                                      and how long the future took after that)
 * SUMMARY ok=&lt;2xx&gt; other=&lt;non-2xx&gt; errors=&lt;exceptions&gt;
 * </pre>
 *
 * <p>With {@code --until FILE} each thread keeps sending until FILE exists (at most {@code
 * --count} requests in all, when given), so a test can end the traffic on an event it waited
 * for instead of guessing how long the traffic must last. With {@code --linger FILE} the app
 * stays up after the summary until FILE exists, so a test can read its final state (its MBeans)
 * before it exits; it creates FILE.waiting when the traffic is over.
 */
public final class Driver {

  private Driver() {}

  public static void run(String[] args, HttpCaller caller) throws Exception {
    java.util.List<String> urls = new java.util.ArrayList<String>();
    long pause = 0;
    String method = "GET";
    String body = null;
    int count = -1;
    int threads = 1;
    File until = null;
    File linger = null;
    boolean async = false;
    Map<String, String> headers = new LinkedHashMap<String, String>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--async")) {
        async = true;
        continue;
      }
      if (arg.equals("--trust-all-tls-defaults")) {
        LegacyTls.trustEverything(); // before any call, as an application's start-up would
        continue;
      }
      String value = args[++i];
      if (arg.equals("--url")) {
        urls.add(value);
      } else if (arg.equals("--method")) {
        method = value;
      } else if (arg.equals("--body")) {
        body = value;
      } else if (arg.equals("--count")) {
        count = Integer.parseInt(value);
      } else if (arg.equals("--threads")) {
        threads = Integer.parseInt(value);
      } else if (arg.equals("--pause-ms")) {
        pause = Long.parseLong(value); // before every request but the first
      } else if (arg.equals("--until")) {
        until = new File(value);
      } else if (arg.equals("--linger")) {
        linger = new File(value);
      } else if (arg.equals("--header")) {
        int colon = value.indexOf(':');
        headers.put(value.substring(0, colon), value.substring(colon + 1));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("--url is required");
    }
    if (count < 0) {
      count = until == null ? 1 : Integer.MAX_VALUE;
    }
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger other = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger next = new AtomicInteger();
    final int perUrl = count;
    final int total = count == Integer.MAX_VALUE ? count : count * urls.size();
    final long finalPause = pause;
    final File stop = until;
    final String finalMethod = method;
    final String finalBody = body;
    final boolean finalAsync = async;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(
          () -> {
            int index;
            while ((stop == null || !stop.exists()) && (index = next.getAndIncrement()) < total) {
              if (index > 0 && finalPause > 0) {
                try {
                  Thread.sleep(finalPause);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
              }
              String url = urls.get(Math.min(index / perUrl, urls.size() - 1));
              send(caller, index, finalMethod, url, finalBody, headers, finalAsync, ok, other, errors);
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    print("SUMMARY ok=" + ok.get() + " other=" + other.get() + " errors=" + errors.get());
    if (linger != null) {
      new File(linger.getPath() + ".waiting").createNewFile(); // the traffic is over
    }
    long lingerUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (linger != null && !linger.exists() && System.nanoTime() < lingerUntil) {
      Thread.sleep(50);
    }
  }

  private static void send(HttpCaller caller, int index, String method, String url, String body,
      Map<String, String> headers, boolean async, AtomicInteger ok, AtomicInteger other, AtomicInteger errors) {
    try {
      HttpCaller.Response response;
      if (async) {
        long start = System.nanoTime();
        CompletableFuture<HttpCaller.Response> future = caller.callAsync(method, url, body, headers);
        long submitted = System.nanoTime();
        if (future == null) {
          throw new UnsupportedOperationException("this client has no async API");
        }
        try {
          response = future.get(60, TimeUnit.SECONDS);
        } finally {
          print("SUBMITTED " + index + " " + (submitted - start) / 1_000_000 + " " + (System.nanoTime() - submitted) / 1_000_000);
        }
      } else {
        response = caller.call(method, url, body, headers);
      }
      (response.status >= 200 && response.status < 300 ? ok : other).incrementAndGet();
      print("RESULT " + index + " " + response.status + " " + oneLine(response.body)
          + "\nVIA " + index + " " + response.via);
    } catch (Throwable e) {
      errors.incrementAndGet();
      Throwable thrown = unwrap(e);
      Throwable cause = ioFailure(thrown);
      print("RESULT " + index + " ERROR " + cause.getClass().getName() + ": " + oneLine(cause.getMessage())
          + "\nTHROWN " + index + " " + thrown.getClass().getName());
    }
  }

  /**
   * Returns the IOException a wrapper (Feign, a JAX-RS client) carries as the cause of its own
   * exception, so every app reports the client's I/O failure alike; the thrown one otherwise.
   */
  private static Throwable ioFailure(Throwable thrown) {
    for (Throwable current = thrown; current != null; current = current.getCause()) {
      if (current instanceof java.io.IOException) {
        return current;
      }
      if (current.getCause() == current) {
        break;
      }
    }
    return thrown;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable current = e;
    while ((current instanceof java.util.concurrent.ExecutionException
            || current instanceof java.util.concurrent.CompletionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String oneLine(String text) {
    if (text == null) {
      return "";
    }
    String line = text.replace('\r', ' ').replace('\n', ' ');
    return line.length() > 500 ? line.substring(0, 500) : line;
  }

  private static synchronized void print(String line) {
    System.out.println(line);
  }
}
