package dev.overseer.console.impl;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TokensTest {

  @Test
  void generatesDistinct256BitTokens() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String token = Tokens.generate();
      assertThat(token).matches("[A-Za-z0-9_-]{43}");
      seen.add(token);
    }
    assertThat(seen).hasSize(100);
  }

  @Test
  void matchesOnlyTheExactToken() {
    Tokens tokens = new Tokens("abcdefghijklmnop");
    assertThat(tokens.matches("abcdefghijklmnop")).isTrue();
    assertThat(tokens.matches("abcdefghijklmnoP")).isFalse();
    assertThat(tokens.matches("abcdefghijklmno")).isFalse();
    assertThat(tokens.matches("abcdefghijklmnopq")).isFalse();
    assertThat(tokens.matches("")).isFalse();
    assertThat(tokens.matches(null)).isFalse();
  }
}
