package org.apache.http.impl.nio.client;

import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;

/**
 * Stub of Apache HttpAsyncClient 4.1's per-exchange state. Package-private in the library; public
 * here so advice compiles (it is inlined into {@code MainClientExec}, in the same package).
 */
public class InternalState {
  private InternalState() {}

  public HttpClientContext getLocalContext() {
    throw new UnsupportedOperationException("stub");
  }

  public HttpAsyncRequestProducer getRequestProducer() {
    throw new UnsupportedOperationException("stub");
  }
}
