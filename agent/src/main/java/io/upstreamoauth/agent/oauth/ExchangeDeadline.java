package io.upstreamoauth.agent.oauth;

import io.upstreamoauth.agent.tls.ClientSocketFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deadline of one token request: {@code timeout} bounds all of it (connect, TLS handshake,
 * request, the whole response), not each step, so an IdP that sends a byte a second cannot hold a
 * request, and every caller waiting for it, for ever. At the deadline a shared watchdog thread
 * aborts the exchange:
 *
 * <ul>
 *   <li>HTTPS: it closes the plain TCP sockets that the request's {@link ClientSocketFactory} made,
 *       which ends a blocked connect, handshake or read at once;
 *   <li>plain HTTP, where the JDK hands out no socket: while the response headers are awaited it
 *       calls {@code disconnect()}, which closes the socket, and again every 50 ms until the
 *       request ends, as the JDK may connect again on its own. Once the body is being read,
 *       {@code disconnect()} would wait for the JDK's stream lock, which the blocked read holds, so
 *       the reader checks the deadline after every read instead; each read is bounded by a socket
 *       timeout of the time that was left when the connection was opened.
 * </ul>
 */
final class ExchangeDeadline implements ClientSocketFactory.Watch, Runnable {

  private static final int OPEN = 0;
  private static final int RESPONDING = 1;
  private static final int ABORTED = 2;
  private static final long RECHECK_MILLIS = 50;

  private final long deadlineNanos;
  private final List<Socket> sockets = new CopyOnWriteArrayList<Socket>();
  private final AtomicInteger state = new AtomicInteger(OPEN);
  private volatile boolean aborted;
  private volatile boolean finished;
  private volatile HttpURLConnection connection;
  private volatile Future<?> alarm;

  private ExchangeDeadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** Starts the clock of one token request. Network time is real time, not the agent's clock. */
  static ExchangeDeadline start(int timeoutMillis) {
    ExchangeDeadline deadline = new ExchangeDeadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    deadline.alarm = Watchdog.TIMER.schedule(deadline, timeoutMillis, TimeUnit.MILLISECONDS);
    return deadline;
  }

  /** Loads the watchdog's classes ahead of the first token request; starts no thread. */
  static void warmUp() {
    Watchdog.TIMER.getQueue();
  }

  /** Lets the watchdog disconnect this connection while its response headers are awaited. */
  void attach(HttpURLConnection connection) throws SocketTimeoutException {
    this.connection = connection;
    check();
  }

  /** Returns the milliseconds left, at least 1. */
  int remainingMillis() throws SocketTimeoutException {
    check();
    long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    return (int) Math.max(1, Math.min(left, Integer.MAX_VALUE));
  }

  /** Marks the response headers read: the body is the reader's to bound from now on. */
  void responding() throws SocketTimeoutException {
    if (!state.compareAndSet(OPEN, RESPONDING)) {
      throw pastDeadline();
    }
    check();
  }

  /**
   * Starts the next request of the same exchange (a retry with a DPoP nonce): the same deadline,
   * a new connection.
   */
  void nextRequest() throws SocketTimeoutException {
    check();
    connection = null;
    sockets.clear();
    state.compareAndSet(RESPONDING, OPEN);
  }

  /** Throws once the deadline has passed. */
  void check() throws SocketTimeoutException {
    if (passed()) {
      throw pastDeadline();
    }
  }

  /** Returns true once the deadline has passed (whether or not the watchdog has acted yet). */
  boolean passed() {
    return aborted || System.nanoTime() - deadlineNanos >= 0;
  }

  /** Disarms the watchdog; call when the request is over, however it ended. */
  void finish() {
    finished = true;
    Future<?> pending = alarm;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  @Override
  public void opened(Socket plain) throws IOException {
    sockets.add(plain);
    if (aborted) { // the watchdog may have gone through the list before this one was added
      throw pastDeadline();
    }
  }

  /** The watchdog, at the deadline. */
  @Override
  public void run() {
    aborted = true;
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException | RuntimeException ignored) {
        // closed is all we want
      }
    }
    state.compareAndSet(OPEN, ABORTED);
    HttpURLConnection current = connection;
    if (state.get() == ABORTED && sockets.isEmpty() && current != null && !finished) {
      // plain HTTP (or HTTPS still tunnelling through a proxy): the reader has not reached the
      // body, so it holds no stream lock and this returns at once
      try {
        current.disconnect();
      } catch (RuntimeException ignored) {
        // the JDK's fields are not meant for two threads; the next look tries again
      }
      // the JDK may connect again with a socket the agent cannot see (it retries a request
      // whose write failed on a new connection, and a connect under way had no socket to
      // close): look again until the request has given up
      alarm = Watchdog.TIMER.schedule(this, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private static SocketTimeoutException pastDeadline() {
    return new SocketTimeoutException("the token request's deadline passed");
  }

  /** One daemon thread for the deadlines of every token request, started by the first one. */
  private static final class Watchdog {
    static final ScheduledThreadPoolExecutor TIMER = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              new ThreadFactory() {
                @Override
                public Thread newThread(Runnable task) {
                  Thread thread = new Thread(task, "upstream-oauth-token-deadline");
                  thread.setDaemon(true);
                  return thread;
                }
              });
      // nearly every request ends in time: its alarm goes at once, not when it would have rung
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }
}
