package io.upstreamoauth.agent.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dpop-key-file: a private JWK, or PEM PKCS#8 with the public key findable. */
class DpopKeyFileTest {

  @TempDir Path dir;

  @Test
  void load_ecJwk_sameKeyAsTheFile() throws Exception {
    ECKey jwk = new ECKeyGenerator(Curve.P_256).generate();
    Path file = write("key.jwk", jwk.toJSONString());

    DpopKey key = DpopKeyFile.load(file.toString(), "ES256");

    assertThat(key.thumbprint()).isEqualTo(jwk.computeThumbprint().toString());
    SignedJWT proof = SignedJWT.parse(key.proof("GET", "https://a/", null, null, 1L));
    assertThat(proof.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(jwk.toPublicJWK()))).isTrue();
  }

  @Test
  void load_rsaJwk_forPs256() throws Exception {
    RSAKey jwk = new RSAKeyGenerator(2048).generate();

    DpopKey key = DpopKeyFile.load(write("key.jwk", jwk.toJSONString()).toString(), "PS256");

    assertThat(key.thumbprint()).isEqualTo(jwk.computeThumbprint().toString());
  }

  @Test
  void load_opensslEcPem_findsThePublicKeyInside() throws Exception {
    Path file = Paths.get(DpopKeyFileTest.class.getResource("openssl-ec-p256.pem").toURI());

    DpopKey key = DpopKeyFile.load(file.toString(), "ES256");

    SignedJWT proof = SignedJWT.parse(key.proof("GET", "https://a/", null, null, 1L));
    ECKey inProof = (ECKey) proof.getHeader().getJWK();
    assertThat(proof.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(inProof))).isTrue();
    assertThat(key.thumbprint()).isEqualTo(inProof.computeThumbprint().toString());
  }

  @Test
  void load_rsaPem_derivesThePublicKey() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Path file = write("key.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()));

    DpopKey key = DpopKeyFile.load(file.toString(), "RS256");

    assertThat(key.thumbprint()).isEqualTo(new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic()).build()
        .computeThumbprint().toString());
  }

  @Test
  void load_ecPemWithAPublicKeyBlock_usesIt() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path file =
        write("key.pem", pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded()));

    DpopKey key = DpopKeyFile.load(file.toString(), "ES256");

    assertThat(key.thumbprint()).isEqualTo(new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) pair.getPublic())
        .build().computeThumbprint().toString());
  }

  @Test
  void load_wrongKeyTypeOrPublicOnlyOrMissing_saysWhat() throws Exception {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();

    assertThatThrownBy(() -> DpopKeyFile.load(write("rsa.jwk", rsa.toJSONString()).toString(), "ES256"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ES256 needs an EC P-256 key");
    assertThatThrownBy(() -> DpopKeyFile.load(write("public.jwk", ec.toPublicJWK().toJSONString()).toString(), "ES256"))
        .hasMessageContaining("no private part");
    assertThatThrownBy(() -> DpopKeyFile.load(dir.resolve("none.pem").toString(), "ES256"))
        .hasMessageContaining("cannot read");
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
