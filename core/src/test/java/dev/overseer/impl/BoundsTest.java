package dev.overseer.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BoundsTest {

  @Test
  void truncateKeepsShortTextAndMarksCutText() {
    assertThat(Bounds.truncate("abc", 3)).isEqualTo("abc");
    assertThat(Bounds.truncate(null, 3)).isNull();
    assertThat(Bounds.truncate("abcdef", 3)).isEqualTo("abc…[+3 chars]");
  }

  @Test
  void truncateNeverSplitsASurrogatePair() {
    String text = "a\uD83D\uDE00b"; // a, 😀 (two chars), b
    assertThat(Bounds.truncate(text, 2)).isEqualTo("a…[+3 chars]");
  }

  @Test
  void largerThanEstimatesTheEncodedSizeFromAbove() {
    JsonObject json = new JsonObject().put("a", "xyz").put("b", new JsonArray().add(1).add(true).addNull());
    int encoded = json.encode().length();
    assertThat(Bounds.largerThan(json, encoded - 1)).isTrue();
    assertThat(Bounds.largerThan(json, encoded + 64)).isFalse();
    JsonObject text = new JsonObject().put("k", "x".repeat(10_000));
    assertThat(Bounds.largerThan(text, 10_000)).isTrue();
    assertThat(Bounds.largerThan(text, 10_020)).isFalse();
  }

  @Test
  void largerThanCountsBinaryByItsBase64Size() {
    assertThat(Bounds.largerThan(new JsonObject().put("b", io.vertx.core.buffer.Buffer.buffer(new byte[3000])), 3000)).isTrue();
    assertThat(Bounds.largerThan(new JsonObject().put("b", new byte[3000]), 3000)).isTrue();
    assertThat(Bounds.largerThan(new JsonObject().put("b", new byte[30]), 3000)).isFalse();
  }

  @Test
  void largerThanCountsDeepNestingAsTooLarge() {
    JsonObject deep = new JsonObject();
    for (int i = 0; i < Bounds.MAX_DEPTH + 5; i++) {
      deep = new JsonObject().put("n", deep);
    }
    assertThat(Bounds.largerThan(deep, 1 << 20)).isTrue();
    assertThat(Bounds.json(deep, 1 << 20)).isInstanceOf(String.class).asString().contains("nested deeper");
  }

  @Test
  void jsonKeepsASmallValueAndCutsTheEncodingOfABigOne() {
    JsonObject small = new JsonObject().put("a", 1);
    assertThat(Bounds.json(small, 100)).isSameAs(small);
    Object cut = Bounds.json(new JsonObject().put("a", "x".repeat(500)), 100);
    assertThat(cut).isInstanceOf(String.class).asString().startsWith("{\"a\":\"xxx").contains("…[+");
  }
}
