package io.upstreamoauth.agent.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** DPoP proofs checked against RFC 9449 §4.2 by an independent verifier (Nimbus). */
class DpopKeyTest {

  private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9.access-token-0123456789";

  @ParameterizedTest
  @ValueSource(strings = {"ES256", "RS256", "PS256"})
  void proof_isAValidDpopJwt_boundToMethodUriTokenAndNonce(String alg) throws Exception {
    DpopKey key = DpopKey.generate(alg);

    String proof = key.proof("GET", "https://api.example.com/v1/orders", DpopKey.ath(TOKEN), "n-123", 1_700_000_000L);

    SignedJWT jwt = SignedJWT.parse(proof);
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("dpop+jwt");
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.parse(alg));
    JWK jwk = jwt.getHeader().getJWK();
    assertThat(jwk.isPrivate()).as("only the public key").isFalse();
    assertThat(jwt.verify(verifier(jwk))).as("signature by the key in the header").isTrue();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getStringClaim("htm")).isEqualTo("GET");
    assertThat(claims.getStringClaim("htu")).isEqualTo("https://api.example.com/v1/orders");
    assertThat(claims.getIssueTime().getTime()).isEqualTo(1_700_000_000_000L);
    assertThat(claims.getStringClaim("nonce")).isEqualTo("n-123");
    String ath =
        Base64.getUrlEncoder().withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.US_ASCII)));
    assertThat(claims.getStringClaim("ath")).isEqualTo(ath);
    assertThat(Base64.getUrlDecoder().decode(claims.getJWTID())).as("jti: at least 96 random bits").hasSizeGreaterThanOrEqualTo(12);
    assertThat(key.thumbprint()).isEqualTo(jwk.computeThumbprint().toString());
    assertThat(key.made(proof)).isTrue();
  }

  @Test
  void proof_forTheTokenRequest_hasNoAthNorNonce() throws Exception {
    DpopKey key = DpopKey.generate("ES256");

    JWTClaimsSet claims = SignedJWT.parse(key.proof("POST", "https://idp.example/token", null, null, 1L)).getJWTClaimsSet();

    assertThat(claims.getClaims()).containsOnlyKeys("jti", "htm", "htu", "iat");
  }

  @Test
  void proof_neverReused_freshJtiEveryTime() throws Exception {
    DpopKey key = DpopKey.generate("ES256");
    Set<String> proofs = new HashSet<>();
    Set<String> jtis = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      String proof = key.proof("GET", "https://api.example.com/", null, null, 1L);
      proofs.add(proof);
      jtis.add(SignedJWT.parse(proof).getJWTClaimsSet().getJWTID());
    }
    assertThat(proofs).hasSize(500);
    assertThat(jtis).hasSize(500);
  }

  @Test
  void proof_stringsWithQuotesAndControls_areEscapedJson() throws Exception {
    DpopKey key = DpopKey.generate("ES256");

    String proof = key.proof("GET", "https://api.example.com/a\"b\\c\u0001", null, "n", 1L);

    assertThat(SignedJWT.parse(proof).getJWTClaimsSet().getStringClaim("htu")).isEqualTo("https://api.example.com/a\"b\\c\u0001");
  }

  @Test
  void made_onlyForThisKeysProofs() throws Exception {
    DpopKey key = DpopKey.generate("ES256");
    DpopKey other = DpopKey.generate("ES256");

    assertThat(key.made(other.proof("GET", "https://a/", null, null, 1L))).isFalse();
    assertThat(key.made("Bearer abc")).isFalse();
    assertThat(key.made(null)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "https, API.Example.COM, -1, /v1/x?q=1#f, https://api.example.com/v1/x",
    "HTTPS, api.example.com, 443, /v1, https://api.example.com/v1",
    "http, api.example.com, 80, '', http://api.example.com/",
    "http, api.example.com, 8080, /a%2Fb, http://api.example.com:8080/a%2Fb",
    "https, ::1, 8443, /x, https://[::1]:8443/x",
    "https, api.example.com, 80, /x, https://api.example.com:80/x"
  })
  void htu_normalisedAsRfc9449Asks_noQueryOrFragment(String scheme, String host, int port, String path, String expected) {
    assertThat(DpopKey.htu(scheme, host, port, path)).isEqualTo(expected);
  }

  @Test
  void of_keyThatDoesNotSuitTheAlgorithm_isRefused() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
    ecGenerator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    KeyPair p384 = ecGenerator.generateKeyPair();
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    KeyPair rsa1024 = small.generateKeyPair();

    assertThatThrownBy(() -> DpopKey.of("ES256", rsa.getPrivate(), rsa.getPublic()))
        .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("ES256 needs an EC P-256 key");
    assertThatThrownBy(() -> DpopKey.of("ES256", p384.getPrivate(), p384.getPublic())).hasMessageContaining("P-256");
    assertThatThrownBy(() -> DpopKey.of("RS256", p384.getPrivate(), p384.getPublic())).hasMessageContaining("RSA");
    assertThatThrownBy(() -> DpopKey.of("PS256", rsa1024.getPrivate(), rsa1024.getPublic())).hasMessageContaining("2048");
  }

  @Test
  void toString_showsTheThumbprintOnly() throws Exception {
    DpopKey key = DpopKey.generate("ES256");
    assertThat(key.toString()).isEqualTo("DpopKey{ES256, jkt " + key.thumbprint() + "}");
  }

  private static JWSVerifier verifier(JWK jwk) throws Exception {
    return jwk instanceof ECKey ? new ECDSAVerifier((ECKey) jwk) : new RSASSAVerifier((RSAKey) jwk);
  }

  @Test
  void derToJose_paddedAndSignBytesStripped() throws Exception {
    // r = 0x00 0x80.. (sign byte), s = 0x01 (short): r || s, each 32 bytes
    byte[] r = new byte[33];
    r[1] = (byte) 0x80;
    byte[] der = new byte[2 + 2 + 33 + 2 + 1];
    der[0] = 0x30;
    der[1] = (byte) (der.length - 2);
    der[2] = 0x02;
    der[3] = 33;
    System.arraycopy(r, 0, der, 4, 33);
    der[37] = 0x02;
    der[38] = 1;
    der[39] = 1;

    byte[] jose = DpopKey.derToJose(der, 32);

    assertThat(jose).hasSize(64);
    assertThat(jose[0]).isEqualTo((byte) 0x80);
    assertThat(jose[63]).isEqualTo((byte) 1);
  }
}
