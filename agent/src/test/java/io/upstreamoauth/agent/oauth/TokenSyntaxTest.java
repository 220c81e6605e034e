package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule for tokens, from the IdP or from Redis; RedisPoisonedTokenTest runs it on Redis values. */
class TokenSyntaxTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "tok-1_~+/=", "!#$%&'()*,-.:;<>?@[]^`{|}"})
  void accessTokenProblem_visibleAscii_none(String token) {
    assertThat(TokenSyntax.accessTokenProblem(token)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "a\r\nX-Injected: 1", "a\nb", "a\tb", "a\u0000b", "a\u007fb", "caf\u00e9"})
  void accessTokenProblem_emptyOrNotVisibleAscii_namedWithoutTheValue(String token) {
    String problem = TokenSyntax.accessTokenProblem(token);

    assertThat(problem).isNotNull();
    if (!token.isEmpty()) {
      assertThat(problem).doesNotContain(token).isEqualTo("holds characters that cannot go in an HTTP header");
    }
  }

  @Test
  void accessTokenProblem_longestAcceptedAndOneMore() {
    assertThat(TokenSyntax.accessTokenProblem("x".repeat(TokenSyntax.MAX_TOKEN_CHARS))).isNull();
    assertThat(TokenSyntax.accessTokenProblem("x".repeat(TokenSyntax.MAX_TOKEN_CHARS + 1)))
        .isEqualTo("is longer than 16384 characters (16385)");
  }

  @Test
  void normaliseType_wellKnownCapitalised_absentIsBearer_otherSchemesKept_nonTokensRefused() {
    assertThat(TokenSyntax.normaliseType("bearer")).isEqualTo("Bearer");
    assertThat(TokenSyntax.normaliseType(" DPOP ")).isEqualTo("DPoP");
    assertThat(TokenSyntax.normaliseType(null)).isEqualTo("Bearer");
    assertThat(TokenSyntax.normaliseType("N_A")).isEqualTo("N_A");
    for (String bad : List.of("Bea rer", "Bearer\r\nX: 1", "Bearer:", "B\u00e9arer", "a/b")) {
      assertThat(TokenSyntax.normaliseType(bad)).as(bad).isNull();
    }
  }

  @Test
  void isNormalisedType_onlyWhatNormaliseTypeGives() {
    assertThat(TokenSyntax.isNormalisedType("Bearer")).isTrue();
    assertThat(TokenSyntax.isNormalisedType("N_A")).isTrue();
    assertThat(TokenSyntax.isNormalisedType("bearer")).isFalse();
    assertThat(TokenSyntax.isNormalisedType("")).isFalse();
    assertThat(TokenSyntax.isNormalisedType(" Bearer")).isFalse();
    assertThat(TokenSyntax.isNormalisedType(null)).isFalse();
  }

  @Test
  void idpResponse_overLongToken_refusedByTheSameRule() {
    TokenResponseParser parser = new TokenResponseParser("https://idp.example/token", List.of());
    String body = "{\"access_token\":\"" + "x".repeat(TokenSyntax.MAX_TOKEN_CHARS + 1) + "\",\"token_type\":\"Bearer\"}";

    TokenFetchException e = catchThrowableOfType(TokenFetchException.class,
        () -> parser.parse(200, "application/json", body.getBytes(StandardCharsets.UTF_8), -1));

    assertThat(e.getMessage()).endsWith("answered HTTP 200: the access_token is longer than 16384 characters (16385)");
    assertThat(e.kind()).isEqualTo(TokenFetchException.Kind.TRANSIENT);
  }
}
