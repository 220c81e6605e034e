package io.upstreamoauth.testapp.support;

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
 * --url U [--url U2 ...] [--method GET|POST] [--body B] [--count N] [--threads T] [--async] [--header Name:Value]
 *       [--pause-ms P] [--trust-all-tls-defaults]
 * (with several --url, each is called --count times, in the order given when --threads is 1)
 * RESULT &lt;i&gt; &lt;status&gt; &lt;body&gt;        (one per request)
 * RESULT &lt;i&gt; ERROR &lt;Exception&gt;: &lt;message&gt;
 * SUBMITTED &lt;i&gt; &lt;ms&gt;                (--async: how long the async call took to hand back its future)
 * SUMMARY ok=&lt;2xx&gt; other=&lt;non-2xx&gt; errors=&lt;exceptions&gt;
 * </pre>
 */
public final class Driver {

  private Driver() {}

  public static void run(String[] args, HttpCaller caller) throws Exception {
    java.util.List<String> urls = new java.util.ArrayList<String>();
    String method = "GET";
    String body = null;
    int count = 1;
    int threads = 1;
    boolean async = false;
    long pause = 0;
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
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger other = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    final String finalMethod = method;
    final String finalBody = body;
    final boolean finalAsync = async;
    final long finalPause = pause;
    for (int i = 0; i < count * urls.size(); i++) {
      final int index = i;
      final String finalUrl = urls.get(i / count);
      pool.execute(
          () -> {
            try {
              if (index > 0 && finalPause > 0) {
                Thread.sleep(finalPause);
              }
              HttpCaller.Response response;
              if (finalAsync) {
                long start = System.nanoTime();
                CompletableFuture<HttpCaller.Response> future =
                    caller.callAsync(finalMethod, finalUrl, finalBody, headers);
                print("SUBMITTED " + index + " " + (System.nanoTime() - start) / 1_000_000);
                if (future == null) {
                  throw new UnsupportedOperationException("this client has no async API");
                }
                response = future.get(60, TimeUnit.SECONDS);
              } else {
                response = caller.call(finalMethod, finalUrl, finalBody, headers);
              }
              (response.status >= 200 && response.status < 300 ? ok : other).incrementAndGet();
              print("RESULT " + index + " " + response.status + " " + oneLine(response.body));
            } catch (Throwable e) {
              errors.incrementAndGet();
              Throwable cause = unwrap(e);
              print("RESULT " + index + " ERROR " + cause.getClass().getName() + ": " + oneLine(cause.getMessage()));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    print("SUMMARY ok=" + ok.get() + " other=" + other.get() + " errors=" + errors.get());
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
