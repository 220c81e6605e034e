package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class TokenResponseTest {

  @Test
  void toString_longToken_showsOnlyPrefixAndLength() {
    String token = "eyJhbGciOiJSUzI1NiJ9.secret-payload.sig";
    assertThat(new TokenResponse(token, "Bearer", 3600, -1).toString())
        .isEqualTo("TokenResponse{accessToken=eyJh…(" + token.length() + " chars), tokenType=Bearer, expiresIn=3600}")
        .doesNotContain("secret-payload");
  }

  @Test
  void toString_shortToken_fullyMasked() {
    assertThat(new TokenResponse("short-token", "Bearer", -1, -1).toString())
        .isEqualTo("TokenResponse{accessToken=****, tokenType=Bearer, expiresIn=-1}");
  }

  @Test
  void tokenFetchException_keepsEveryField() {
    IOException cause = new IOException("reset");
    TokenFetchException e =
        new TokenFetchException("msg", TokenFetchException.Kind.TRANSIENT, 503, "server_error", 7000, cause);
    assertThat(e.getMessage()).isEqualTo("msg");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
    assertThat(e.status()).isEqualTo(503);
    assertThat(e.errorCode()).isEqualTo("server_error");
    assertThat(e.retryAfterMillis()).isEqualTo(7000);
    assertThat(e.getCause()).isSameAs(cause);
  }
}
