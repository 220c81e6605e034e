package io.upstreamoauth.agent.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormBodyTest {

  @Test
  void encode_space_isPercent20NotPlus() {
    assertThat(FormBody.encode("read write")).isEqualTo("read%20write");
  }

  @Test
  void encode_reservedCharacters_arePercentEncoded() {
    assertThat(FormBody.encode("a:b%c+d/e&f=g?h#i")).isEqualTo("a%3Ab%25c%2Bd%2Fe%26f%3Dg%3Fh%23i");
  }

  @Test
  void encode_nonAscii_isUtf8PercentEncoded() {
    assertThat(FormBody.encode("é€")).isEqualTo("%C3%A9%E2%82%AC");
  }

  @Test
  void encodeForBasic_space_isPlus() {
    assertThat(FormBody.encodeForBasic("a b+c")).isEqualTo("a+b%2Bc");
  }

  @Test
  void encode_body_joinsFieldsInOrderWithAmpersand() {
    FormBody form = new FormBody().add("grant_type", "client_credentials").add("scope", "a b");
    assertThat(new String(form.encode(), StandardCharsets.US_ASCII))
        .isEqualTo("grant_type=client_credentials&scope=a%20b");
  }

  @Test
  void add_nullValue_isSkipped() {
    FormBody form = new FormBody().add("username", null).add("x", "1");
    assertThat(form.has("username")).isFalse();
    assertThat(form.get("x")).isEqualTo("1");
    assertThat(new String(form.encode(), StandardCharsets.US_ASCII)).isEqualTo("x=1");
  }

  @Test
  void encode_emptyForm_isEmptyBody() {
    assertThat(new FormBody().encode()).isEmpty();
  }

  @Test
  void get_duplicateName_returnsFirst() {
    FormBody form = new FormBody().add("a", "1").add("a", "2");
    assertThat(form.get("a")).isEqualTo("1");
    assertThat(form.fields()).hasSize(2);
  }

  @Test
  void toString_showsNamesOnly_neverValues() {
    FormBody form = new FormBody().add("client_secret", "s3cr3t-value");
    assertThat(form.toString()).isEqualTo("FormBody[client_secret]").doesNotContain("s3cr3t");
  }
}
