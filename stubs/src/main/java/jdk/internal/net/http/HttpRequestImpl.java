package jdk.internal.net.http;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import jdk.internal.net.http.common.HttpHeadersBuilder;

/** Stub of the JDK's internal request copy (java.net.http module, JDK 11+). */
public abstract class HttpRequestImpl extends HttpRequest {
  @Override
  public abstract URI uri();

  @Override
  public abstract HttpHeaders headers();

  public abstract void setSystemHeader(String name, String value);

  /** Package-private in the JDK; public here so advice compiles (it runs inside the package). */
  public abstract HttpHeadersBuilder getSystemHeadersBuilder();
}
