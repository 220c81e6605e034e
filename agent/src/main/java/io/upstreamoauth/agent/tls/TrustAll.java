package io.upstreamoauth.agent.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** ssl-verify=false: accepts any server certificate, as configured (logged at start-up). */
final class TrustAll implements X509TrustManager {

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
