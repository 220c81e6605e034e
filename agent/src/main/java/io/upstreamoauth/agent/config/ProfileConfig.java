package io.upstreamoauth.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One IdP client and the hosts whose requests get its tokens. Immutable. */
public final class ProfileConfig {

  /** The name of the profile formed by the top-level keys. */
  public static final String DEFAULT = "default";

  private final String name;
  private final List<HostPattern> hosts;
  private final OAuthSettings oauth;
  private final CacheSettings cache;
  private final RetrySettings retry;
  private final String headerName;
  private final boolean[] purgeStatuses;
  private final IdpErrorAction idpErrorAction;
  private final boolean replayAfterPurge;
  private final long purgeMinIntervalMillis;

  public ProfileConfig(
      String name,
      List<HostPattern> hosts,
      OAuthSettings oauth,
      CacheSettings cache,
      RetrySettings retry,
      String headerName,
      List<Integer> purgeStatusCodes,
      IdpErrorAction idpErrorAction,
      boolean replayAfterPurge,
      long purgeMinIntervalMillis) {
    this.name = name;
    this.hosts = Collections.unmodifiableList(new ArrayList<HostPattern>(hosts));
    this.oauth = oauth;
    this.cache = cache;
    this.retry = retry;
    this.headerName = headerName;
    this.purgeStatuses = new boolean[600];
    for (int status : purgeStatusCodes) {
      purgeStatuses[status] = true;
    }
    this.idpErrorAction = idpErrorAction;
    this.replayAfterPurge = replayAfterPurge;
    this.purgeMinIntervalMillis = purgeMinIntervalMillis;
  }

  /**
   * Returns how long after a purge a fresh token is kept although an upstream rejects it with the
   * same status ({@code purge-min-interval}): a rejection that a new token did not fix is not
   * answered with one token request per call.
   */
  public long purgeMinIntervalMillis() {
    return purgeMinIntervalMillis;
  }

  public String name() {
    return name;
  }

  public List<HostPattern> hosts() {
    return hosts;
  }

  public OAuthSettings oauth() {
    return oauth;
  }

  public CacheSettings cache() {
    return cache;
  }

  public RetrySettings retry() {
    return retry;
  }

  /** Returns the header the token goes in, {@code Authorization} by default. */
  public String headerName() {
    return headerName;
  }

  /** Returns true when an upstream answering {@code status} means the token must be dropped. */
  public boolean purgesOn(int status) {
    return status >= 0 && status < purgeStatuses.length && purgeStatuses[status];
  }

  /**
   * Returns true when a request whose token the upstream rejected (a purge status) is sent once
   * more with a new token, for methods safe to repeat; off by default.
   */
  public boolean replayAfterPurge() {
    return replayAfterPurge;
  }

  public IdpErrorAction idpErrorAction() {
    return idpErrorAction;
  }

  @Override
  public String toString() {
    return "ProfileConfig{name=" + name + ", hosts=" + hosts + ", oauth=" + oauth + "}";
  }
}
