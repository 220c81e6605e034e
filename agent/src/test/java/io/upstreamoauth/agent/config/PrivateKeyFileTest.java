package io.upstreamoauth.agent.config;

import static io.upstreamoauth.agent.config.TestConfigs.problems;
import static io.upstreamoauth.agent.config.TestConfigs.profile;
import static io.upstreamoauth.agent.config.TestConfigs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateKeyFileTest {

  private static KeyPair rsa2048;
  private static KeyPair rsa2048b;
  private static KeyPair rsa1024;
  private static KeyPair p256;
  private static KeyPair p384;
  private static KeyPair p521;

  @TempDir Path dir;

  @BeforeAll
  static void generateKeys() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    rsa2048 = rsa.generateKeyPair();
    rsa2048b = rsa.generateKeyPair();
    rsa.initialize(1024);
    rsa1024 = rsa.generateKeyPair();
    p256 = ec("secp256r1");
    p384 = ec("secp384r1");
    p521 = ec("secp521r1");
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String pkcs8(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String rsaJwk(KeyPair pair, String kid) {
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
        .privateKey((RSAPrivateKey) pair.getPrivate())
        .keyID(kid)
        .build()
        .toJSONString();
  }

  private static ECKey ecJwk(KeyPair pair, Curve curve, String kid) {
    return new ECKey.Builder(curve, (ECPublicKey) pair.getPublic())
        .privateKey((ECPrivateKey) pair.getPrivate())
        .keyID(kid)
        .build();
  }

  private Path write(String name, String content) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, content.getBytes(StandardCharsets.UTF_8));
    return path;
  }

  private PrivateKeyFile.Loaded load(String content, String alg) throws IOException {
    return PrivateKeyFile.load(write("key-" + System.nanoTime(), content).toString(), alg);
  }

  private void assertRejected(String content, String alg, String message) {
    assertThatThrownBy(() -> load(content, alg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  // ---- PEM ----

  @Test
  void load_pkcs8RsaPem_forRsaAndPssAlgorithms() throws Exception {
    for (String alg : List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")) {
      PrivateKeyFile.Loaded loaded = load(pkcs8(rsa2048.getPrivate()), alg);

      assertThat(loaded.key).isEqualTo(rsa2048.getPrivate());
      assertThat(loaded.keyId).isNull();
      assertThat(loaded.fingerprint).isEqualTo(sha256Hex(rsa2048.getPrivate().getEncoded()));
    }
  }

  @Test
  void load_pemWithCrlfAndSurroundingText_isRead() throws Exception {
    String content =
        "Bag Attributes\r\n    localKeyID: 01\r\n"
            + pkcs8(rsa2048.getPrivate()).replace("\n", "\r\n")
            + "\r\n";

    assertThat(load(content, "RS256").key).isEqualTo(rsa2048.getPrivate());
  }

  @Test
  void load_pkcs8EcPem_forMatchingCurves() throws Exception {
    assertThat(load(pkcs8(p256.getPrivate()), "ES256").key).isEqualTo(p256.getPrivate());
    assertThat(load(pkcs8(p384.getPrivate()), "ES384").key).isEqualTo(p384.getPrivate());
    assertThat(load(pkcs8(p521.getPrivate()), "ES512").key).isEqualTo(p521.getPrivate());
  }

  @Test
  void load_rsaKeyBelow2048Bits_isRejected() {
    assertRejected(pkcs8(rsa1024.getPrivate()), "RS256", "RS256 needs an RSA key of at least 2048 bits");
    assertRejected(pkcs8(rsa1024.getPrivate()), "PS512", "PS512 needs an RSA key of at least 2048 bits");
  }

  @Test
  void load_ecKeyOfOtherCurveSize_isRejected() {
    assertRejected(pkcs8(p384.getPrivate()), "ES256", "ES256 needs a P-256 key, the file holds a 384-bit curve");
    assertRejected(pkcs8(p256.getPrivate()), "ES512", "ES512 needs a P-521 key, the file holds a 256-bit curve");
  }

  @Test
  void load_ecKeyOfOther256BitCurve_isRejectedForEs256() throws Exception {
    // secp256k1 has a 256-bit field like P-256, but ES256 means P-256 (RFC 7518 §3.4)
    PrivateKey k1 =
        KeyFactory.getInstance("EC")
            .generatePrivate(new ECPrivateKeySpec(BigInteger.valueOf(123_456_789L), Curve.SECP256K1.toECParameterSpec()));

    assertThatThrownBy(() -> load(pkcs8(k1), "ES256"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ES256 needs a P-256 key");
  }

  @Test
  void load_keyTypeNotMatchingAlgorithm_isRejected() {
    assertRejected(pkcs8(rsa2048.getPrivate()), "ES256", "ES256 needs an EC key, the file holds RSA");
    assertRejected(pkcs8(p256.getPrivate()), "RS256", "RS256 needs an RSA key, the file holds EC");
    assertRejected(pkcs8(p256.getPrivate()), "PS256", "PS256 needs an RSA key, the file holds EC");
  }

  @Test
  void load_pkcs1OrSec1Pem_explainsOpensslConversion() {
    String message =
        "the key is PKCS#1/SEC1 PEM; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem"
            + " -out key-pkcs8.pem";
    assertRejected(pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}), "RS256", message);
    assertRejected(pem("EC PRIVATE KEY", new byte[] {1, 2, 3}), "ES256", message);
  }

  @Test
  void load_encryptedPem_explainsOpensslDecryption() {
    assertRejected(
        pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}),
        "RS256",
        "the key is encrypted; decrypt it: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
  }

  @Test
  void load_notAPrivateKey_isRejected() {
    String message = "not a PEM PKCS#8 private key (-----BEGIN PRIVATE KEY-----) nor a JWK JSON object";
    assertRejected("hello", "RS256", message);
    assertRejected("", "RS256", message);
    assertRejected(pem("PUBLIC KEY", rsa2048.getPublic().getEncoded()), "RS256", message);
    assertRejected("-----END PRIVATE KEY-----\n-----BEGIN PRIVATE KEY-----\n", "RS256", message);
  }

  @Test
  void load_pemBodyNotBase64_isRejected() {
    assertRejected(
        "-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n",
        "RS256",
        "the PEM body is not valid base64");
  }

  @Test
  void load_pkcs8OfOtherKeyType_isRejected() throws Exception {
    KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    assertRejected(pkcs8(ed25519.getPrivate()), "RS256", "the PKCS#8 key is neither RSA nor EC");
    assertRejected(pem("PRIVATE KEY", new byte[] {48, 3, 2, 1, 0}), "RS256", "the PKCS#8 key is neither RSA nor EC");
  }

  @Test
  void load_missingFile_isRejectedNamingPath() {
    String path = dir.resolve("missing.pem").toString();

    assertThatThrownBy(() -> PrivateKeyFile.load(path, "RS256"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot read '" + path + "': NoSuchFileException");
  }

  // ---- JWK ----

  @Test
  void load_rsaJwk_usesItsKeyId() throws Exception {
    PrivateKeyFile.Loaded loaded = load(rsaJwk(rsa2048, "kid-1"), "RS256");

    assertThat(loaded.key).isInstanceOf(RSAPrivateKey.class);
    assertThat(((RSAPrivateKey) loaded.key).getPrivateExponent())
        .isEqualTo(((RSAPrivateKey) rsa2048.getPrivate()).getPrivateExponent());
    assertThat(loaded.keyId).isEqualTo("kid-1");
  }

  @Test
  void load_ecJwk_isRead() throws Exception {
    PrivateKeyFile.Loaded loaded = load(ecJwk(p384, Curve.P_384, "ec-1").toJSONString(), "ES384");

    assertThat(((ECPrivateKey) loaded.key).getS()).isEqualTo(((ECPrivateKey) p384.getPrivate()).getS());
    assertThat(loaded.keyId).isEqualTo("ec-1");
  }

  @Test
  void load_jwkWithoutKeyId_hasNullKeyId() throws Exception {
    assertThat(load(rsaJwk(rsa2048, null), "RS256").keyId).isNull();
  }

  @Test
  void load_jwkWithKeyIdKeys_isReadAsSingleJwk() throws Exception {
    assertThat(load(rsaJwk(rsa2048, "keys"), "RS256").keyId).isEqualTo("keys");
  }

  @Test
  void load_publicJwk_isRejected() {
    String publicJwk = new RSAKey.Builder((RSAPublicKey) rsa2048.getPublic()).build().toJSONString();

    assertRejected(publicJwk, "RS256", "the JWK is a public key; a private key is needed");
  }

  @Test
  void load_jwkSetWithOnePrivateKey_usesIt() throws Exception {
    ECKey privateKey = ecJwk(p256, Curve.P_256, "signing");
    String set =
        new JWKSet(List.of(
                new RSAKey.Builder((RSAPublicKey) rsa2048.getPublic()).keyID("public").build(),
                privateKey))
            .toString(false);

    PrivateKeyFile.Loaded loaded = load(set, "ES256");

    assertThat(loaded.keyId).isEqualTo("signing");
    assertThat(((ECPrivateKey) loaded.key).getS()).isEqualTo(((ECPrivateKey) p256.getPrivate()).getS());
  }

  @Test
  void load_jwkSetWithoutExactlyOnePrivateKey_isRejected() {
    String two =
        new JWKSet(List.of(ecJwk(p256, Curve.P_256, "a"), ecJwk(p384, Curve.P_384, "b"))).toString(false);
    String none = new JWKSet(ecJwk(p256, Curve.P_256, "a").toPublicJWK()).toString(false);

    assertRejected(two, "ES256", "the JWK Set holds 2 private keys; it must hold exactly one");
    assertRejected(none, "ES256", "the JWK Set holds 0 private keys; it must hold exactly one");
  }

  @Test
  void load_jwkOfOtherKeyType_isRejected() {
    String okp =
        "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\","
            + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\"}";

    assertRejected(okp, "RS256", "the JWK must be an RSA or EC key, was OKP");
  }

  @Test
  void load_invalidJson_isRejected() {
    assertThatThrownBy(() -> load("{not json", "RS256"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid JWK: ");
  }

  @Test
  void load_jwkRsaKeyTooSmallOrWrongCurve_isRejected() {
    assertRejected(rsaJwk(rsa1024, "small"), "RS256", "RS256 needs an RSA key of at least 2048 bits");
    assertRejected(
        ecJwk(p256, Curve.P_256, "x").toJSONString(),
        "ES384",
        "ES384 needs a P-384 key, the file holds a 256-bit curve");
  }

  @Test
  void fingerprint_sameKeyAsPemOrJwk_isEqual_otherKeyDiffers() throws Exception {
    String fromPem = load(pkcs8(rsa2048.getPrivate()), "RS256").fingerprint;
    String fromJwk = load(rsaJwk(rsa2048, "kid"), "RS256").fingerprint;
    String other = load(pkcs8(rsa2048b.getPrivate()), "RS256").fingerprint;

    assertThat(fromPem).matches("[0-9a-f]{64}");
    assertThat(other).isNotEqualTo(fromPem);
    assertThat(fromJwk).isEqualTo(fromPem);
  }

  // ---- through the loader ----

  @Test
  void loader_privateKeyJwtWithPem_loadsKey() throws Exception {
    Path key = write("key.pem", pkcs8(rsa2048.getPrivate()));

    OAuthSettings oauth =
        profile(valid("auth-method", "private_key_jwt", "client-secret", null, "private-key-file", key.toString()))
            .oauth();

    assertThat(oauth.authMethod()).isEqualTo(AuthMethod.PRIVATE_KEY_JWT);
    assertThat(oauth.privateKey()).isEqualTo(rsa2048.getPrivate());
    assertThat(oauth.privateKeyId()).isNull();
    assertThat(oauth.clientSecret()).isNull();
  }

  @Test
  void loader_privateKeyJwtWithJwk_takesKeyIdUnlessConfigured() throws Exception {
    Path key = write("key.json", ecJwk(p256, Curve.P_256, "jwk-kid").toJSONString());

    OAuthSettings fromJwk =
        profile(valid("auth-method", "private_key_jwt", "private-key-alg", "es256", "private-key-file", key.toString()))
            .oauth();
    OAuthSettings configured =
        profile(
                valid(
                    "auth-method", "private_key_jwt",
                    "private-key-alg", "ES256",
                    "private-key-file", key.toString(),
                    "private-key-id", "configured-kid"))
            .oauth();

    assertThat(fromJwk.privateKeyAlg()).isEqualTo("ES256");
    assertThat(fromJwk.privateKeyId()).isEqualTo("jwk-kid");
    assertThat(configured.privateKeyId()).isEqualTo("configured-kid");
  }

  @Test
  void loader_badKeyFile_isProblemNamingKey() throws Exception {
    Path key = write("key.pem", pem("RSA PRIVATE KEY", new byte[] {1}));

    assertThat(problems(valid("auth-method", "private_key_jwt", "private-key-file", key.toString())))
        .containsExactly(
            "upstream.oauth.private-key-file: the key is PKCS#1/SEC1 PEM; convert it to PKCS#8:"
                + " openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem");
  }

  @Test
  void loader_invalidKeyAlgorithm_reportsAlgorithmOnly() throws Exception {
    Path key = write("key.pem", pkcs8(rsa2048.getPrivate()));

    assertThat(
            problems(
                valid(
                    "auth-method", "private_key_jwt",
                    "private-key-file", key.toString(),
                    "private-key-alg", "RSA")))
        .singleElement()
        .asString()
        .startsWith("upstream.oauth.private-key-alg: must be one of ");
  }

  @Test
  void loader_keyFileWithOtherAuthMethod_isNotRead() throws Exception {
    OAuthSettings oauth =
        profile(valid("private-key-file", dir.resolve("missing.pem").toString())).oauth();

    assertThat(oauth.privateKey()).isNull();
  }

  @Test
  void loader_cacheKey_changesWithPrivateKey() throws Exception {
    Path a = write("a.pem", pkcs8(rsa2048.getPrivate()));
    Path a2 = write("a2.pem", pkcs8(rsa2048.getPrivate()));
    Path b = write("b.pem", pkcs8(rsa2048b.getPrivate()));

    String keyA = profile(valid("auth-method", "private_key_jwt", "private-key-file", a.toString())).oauth().cacheKey();
    String keyA2 = profile(valid("auth-method", "private_key_jwt", "private-key-file", a2.toString())).oauth().cacheKey();
    String keyB = profile(valid("auth-method", "private_key_jwt", "private-key-file", b.toString())).oauth().cacheKey();

    assertThat(keyA).isEqualTo(keyA2);
    assertThat(keyB).isNotEqualTo(keyA);
  }
}
