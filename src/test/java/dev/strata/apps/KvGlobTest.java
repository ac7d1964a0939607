package dev.strata.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Redis's glob rules, byte for byte (the cases of Redis's own util.c tests and its docs, and the edges). */
class KvGlobTest {

  private static boolean matches(String pattern, String s) {
    return new KvGlob(pattern.getBytes(StandardCharsets.ISO_8859_1)).matches(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "*|anything|true",
      "*|''|true",
      "''|''|true",
      "''|a|false",
      "user:*|user:1|true",
      "user:*|user:|true",
      "user:*|usr:1|false",
      "h?llo|hello|true",
      "h?llo|hllo|false",
      "h*llo|hllo|true",
      "h*llo|heeeello|true",
      "h[ae]llo|hallo|true",
      "h[ae]llo|hillo|false",
      "h[^e]llo|hallo|true",
      "h[^e]llo|hello|false",
      "h[a-b]llo|hbllo|true",
      "h[a-b]llo|hcllo|false",
      "h[b-a]llo|hallo|true",
      "a\\*b|a*b|true",
      "a\\*b|axb|false",
      "a\\?|a?|true",
      "[\\]]|]|true",
      "[\\-]|-|true",
      "[a-]|]|true",
      "[abc|b|true",
      "[abc|[abc|false",
      "[^|x|true",
      "a*|a|true",
      "a**b|ab|true",
      "*a*b*c*|xxaxxbxxcxx|true",
      "*a*b*c*|xxaxxcxxbxx|false",
      "a\\|a\\|true",
      "abc|ABC|false",
  })
  void matchesAsRedisDoes(String pattern, String s, boolean expected) {
    assertThat(matches(pattern, s)).isEqualTo(expected);
  }

  @Test
  void comparesBytesNotCharacters() {
    byte[] ff = {'k', (byte) 0xff};
    byte[] fe = {'k', (byte) 0xfe};
    assertThat(new KvGlob(new byte[] {'k', '?'}).matches(ff)).isTrue();
    assertThat(new KvGlob(ff).matches(fe)).isFalse();
    assertThat(new KvGlob(new byte[] {'k', '[', (byte) 0xf0, '-', (byte) 0xfe, ']'}).matches(fe)).isTrue();
    assertThat(new KvGlob(new byte[] {'k', '[', (byte) 0xf0, '-', (byte) 0xfe, ']'}).matches(ff)).isFalse();
  }

  @Test
  void manyStarsAgainstALongKeyEndQuickly() {
    String pattern = "a*".repeat(30) + "b";
    String key = "a".repeat(10_000);
    long start = System.nanoTime();
    assertThat(matches(pattern, key)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
  }
}
