package io.upstreamoauth.agent.dpop;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@code DPoP-Nonce} each server gave (RFC 9449 §8, §9), by origin: the authorization
 * server's for token requests, each resource server's for the requests to it. A server may rotate
 * its nonce on any response; the newest one wins. Bounded: a client talks to a handful of origins,
 * and a flood of distinct ones (or nonces) must not grow memory.
 */
public final class DpopNonces {

  static final int MAX_ORIGINS = 1024;
  static final int MAX_NONCE_LENGTH = 1024;

  private final ConcurrentHashMap<String, String> byOrigin = new ConcurrentHashMap<String, String>();

  /** Returns the origin key of a target: scheme, host and effective port. */
  public static String origin(String scheme, String host, int port) {
    String lower = scheme.toLowerCase(Locale.ROOT);
    int effective = port != -1 ? port : lower.equals("https") ? 443 : 80;
    return lower + "://" + host.toLowerCase(Locale.ROOT) + ":" + effective;
  }

  /** Returns the nonce to put in the next proof for {@code origin}, or null. */
  public String get(String origin) {
    return byOrigin.get(origin);
  }

  /** Remembers a nonce a server sent; ignores one that is not a valid nonce (RFC 9449 §8.1). */
  public void put(String origin, String nonce) {
    if (nonce == null || !valid(nonce)) {
      return;
    }
    if (byOrigin.size() >= MAX_ORIGINS && !byOrigin.containsKey(origin)) {
      byOrigin.clear(); // rare: many origins with nonces; they are sent again when needed
    }
    byOrigin.put(origin, nonce);
  }

  /** {@code nonce = 1*NQCHAR}, NQCHAR = %x21 / %x23-5B / %x5D-7E. */
  static boolean valid(String nonce) {
    if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH) {
      return false;
    }
    for (int i = 0; i < nonce.length(); i++) {
      char c = nonce.charAt(i);
      if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
