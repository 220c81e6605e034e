package io.upstreamoauth.agent.oauth;

import java.io.IOException;

/**
 * A token could not be had from the IdP. The message says what the IdP answered (its RFC 6749
 * §5.2 {@code error} and {@code error_description}) and never holds a secret.
 */
public final class TokenFetchException extends IOException {

  private static final long serialVersionUID = 1L;

  /** Whether retrying soon can help. */
  public enum Kind {
    /**
     * The IdP rejects the configuration ({@code invalid_client}, {@code unauthorized_client},
     * {@code invalid_scope}, {@code unsupported_grant_type}, {@code invalid_grant}, other 4xx):
     * retrying will not help until someone fixes it.
     */
    CONFIGURATION,
    /** Network errors, timeouts, 5xx, 429, {@code temporarily_unavailable}, garbage bodies. */
    TRANSIENT
  }

  /** What went wrong, where it is more than the kind says; for counting. */
  public enum Reason {
    /** Nothing more than the kind. */
    OTHER,
    /** The IdP did not answer within the token request's deadline. */
    TIMEOUT,
    /** The IdP answered 2xx without a usable token (not JSON, no or bad access_token). */
    BAD_RESPONSE
  }

  private final Kind kind;
  private final Reason reason;
  private final int status;
  private final String errorCode;
  private final long retryAfterMillis;

  public TokenFetchException(
      String message, Kind kind, int status, String errorCode, long retryAfterMillis, Throwable cause) {
    this(message, kind, Reason.OTHER, status, errorCode, retryAfterMillis, cause);
  }

  public TokenFetchException(
      String message, Kind kind, Reason reason, int status, String errorCode, long retryAfterMillis,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.reason = reason;
    this.status = status;
    this.errorCode = errorCode;
    this.retryAfterMillis = retryAfterMillis;
  }

  public Kind kind() {
    return kind;
  }

  public Reason reason() {
    return reason;
  }

  /** Returns the HTTP status, or -1 when no response was received. */
  public int status() {
    return status;
  }

  /** Returns the RFC 6749 §5.2 {@code error} code, or null. */
  public String errorCode() {
    return errorCode;
  }

  /** Returns the delay the IdP asked for in {@code Retry-After}, or -1. */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
