package io.upstreamoauth.testapp.httpurlconnection;

import io.upstreamoauth.testapp.support.Driver;
import io.upstreamoauth.testapp.support.HttpCaller;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Calls an API with HttpURLConnection, the way Java 8 services do. */
public final class Main implements HttpCaller {

  public static void main(String[] args) throws Exception {
    Driver.run(args, new Main());
  }

  @Override
  public Response call(String method, String url, String body, Map<String, String> headers)
      throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(10000);
    connection.setReadTimeout(30000);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      connection.setRequestProperty(header.getKey(), header.getValue());
    }
    if (body != null) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "text/plain");
      connection.setFixedLengthStreamingMode(bytes.length);
      OutputStream out = connection.getOutputStream();
      try {
        out.write(bytes);
      } finally {
        out.close();
      }
    }
    int status = connection.getResponseCode();
    InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String text = "";
    if (in != null) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      byte[] chunk = new byte[4096];
      int n;
      while ((n = in.read(chunk)) != -1) {
        buffer.write(chunk, 0, n);
      }
      in.close();
      text = new String(buffer.toByteArray(), StandardCharsets.UTF_8);
    }
    // the status line's protocol, as this connection read it
    String statusLine = connection.getHeaderField(0);
    String protocol = statusLine == null ? "?" : statusLine.split(" ")[0];
    return new Response(status, text, connection.getClass().getName() + " " + protocol);
  }
}
