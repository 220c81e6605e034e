package java.net.http;

import java.net.URI;

/** Stub of the JDK 11 type. */
public abstract class HttpRequest {
  public abstract URI uri();

  public abstract HttpHeaders headers();
}
