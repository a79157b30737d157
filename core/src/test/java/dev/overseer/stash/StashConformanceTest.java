package dev.overseer.stash;

import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link Stash} must do. A store joins Overseer by extending this class and
 * providing {@link #createStash}; LocalStash runs it in core, the Hazelcast stash in cluster.
 * Each test uses fresh keys, so implementations may share one store across tests.
 */
@ExtendWith(VertxExtension.class)
public abstract class StashConformanceTest {

  /** @return the stash under test, ready to use */
  protected abstract Future<Stash> createStash(Vertx vertx);

  /**
   * @return whether the stash reads the entry with the claim in {@link Stash#claimAndGet} (both
   *     built-in stashes do; a store that keeps the default returns {@code false})
   */
  protected boolean readsEntryWithClaim() {
    return true;
  }

  protected Stash stash;
  protected String key;

  @BeforeEach
  void setUp(Vertx vertx) {
    stash = createStash(vertx).await();
    key = "k-" + UUID.randomUUID();
  }

  @Nested
  class Get {
    @Test
    void findsNothingForAKeyNeverWritten() {
      assertThat(stash.get(key).await()).isEmpty();
    }

    @Test
    void findsNothingForAKeyOnlyClaimed() {
      stash.claim(key).await();
      assertThat(stash.get(key).await()).isEmpty();
    }

    @Test
    void returnsTheLastValueWrittenWithItsMetadata() {
      Instant before = Instant.now().minusSeconds(1);
      stash.put(key, "{\"n\":1}", 1, 0).await();
      stash.put(key, "{\"n\":2}", 3, 0).await();
      StashEntry entry = stash.get(key).await().orElseThrow();
      assertThat(entry.key()).isEqualTo(key);
      assertThat(entry.value()).isEqualTo(new JsonObject().put("n", 2));
      assertThat(entry.schemaVersion()).isEqualTo(3);
      assertThat(entry.revision()).isEqualTo(2);
      assertThat(entry.updatedAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void keepsKeysApart() {
      String other = key + "-other";
      stash.put(key, "1", 1, 0).await();
      stash.put(other, "2", 1, 0).await();
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo("1");
      assertThat(stash.get(other).await().orElseThrow().json()).isEqualTo("2");
    }
  }

  @Nested
  class Put {
    @Test
    void storesTheJsonTextExactlyAsGiven() {
      String json = "{\"b\":[1,2.5,\"x\",null,true],\"a\":{\"nested\":\"é ✓\"}}";
      StashEntry written = stash.put(key, json, 1, 0).await();
      assertThat(written.json()).isEqualTo(json);
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo(json);
    }

    @Test
    void storesTextThatIsNotJsonWithoutJudgingIt() {
      stash.put(key, "{not json", 1, 0).await();
      StashEntry entry = stash.get(key).await().orElseThrow();
      assertThat(entry.json()).isEqualTo("{not json");
      assertThatThrownBy(entry::value).isInstanceOf(io.vertx.core.json.DecodeException.class);
    }

    @Test
    void countsRevisionsFromOne() {
      assertThat(stash.put(key, "1", 1, 0).await().revision()).isEqualTo(1);
      assertThat(stash.put(key, "2", 1, 0).await().revision()).isEqualTo(2);
      assertThat(stash.put(key, "3", 1, 0).await().revision()).isEqualTo(3);
    }

    @Test
    void rejectsAWriteFromAnOlderEpochAndKeepsTheEntry() {
      long first = stash.claim(key).await();
      stash.put(key, "\"first\"", 1, first).await();
      long second = stash.claim(key).await();
      stash.put(key, "\"second\"", 1, second).await();
      assertThatThrownBy(() -> stash.put(key, "\"zombie\"", 1, first).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.STALE_EPOCH));
      StashEntry entry = stash.get(key).await().orElseThrow();
      assertThat(entry.json()).isEqualTo("\"second\"");
      assertThat(entry.epoch()).isEqualTo(second);
    }

    @Test
    void rejectsAWriteOfTheOldOwnerOnceANewOneClaimedEvenBeforeItWrites() {
      long old = stash.claim(key).await();
      stash.put(key, "1", 1, old).await();
      stash.claim(key).await();
      assertThatThrownBy(() -> stash.put(key, "2", 1, old).await()).isInstanceOf(StashException.class);
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo("1");
    }

    @Test
    void acceptsWritesOfTheCurrentEpoch() {
      long epoch = stash.claim(key).await();
      stash.put(key, "1", 1, epoch).await();
      StashEntry entry = stash.put(key, "2", 1, epoch).await();
      assertThat(entry.epoch()).isEqualTo(epoch);
      assertThat(entry.json()).isEqualTo("2");
    }

    @Test
    void rejectsInvalidArguments() {
      assertThatThrownBy(() -> stash.put(null, "1", 1, 0).await()).isInstanceOf(StashException.class);
      assertThatThrownBy(() -> stash.put(key, null, 1, 0).await()).isInstanceOf(StashException.class);
      assertThatThrownBy(() -> stash.put(key, "1", 0, 0).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.INVALID_ARGUMENT));
      assertThat(stash.get(key).await()).isEmpty();
    }
  }

  @Nested
  class Claim {
    @Test
    void startsAtOneAndGrowsByOne() {
      assertThat(stash.claim(key).await()).isEqualTo(1);
      assertThat(stash.claim(key).await()).isEqualTo(2);
      assertThat(stash.claim(key).await()).isEqualTo(3);
    }

    @Test
    void keepsTheValueWhileRaisingTheEpoch() {
      stash.put(key, "\"v\"", 1, stash.claim(key).await()).await();
      stash.claim(key).await();
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo("\"v\"");
    }

    @Test
    void givesConcurrentClaimantsDistinctEpochs() {
      List<Future<Long>> claims = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        claims.add(stash.claim(key));
      }
      Set<Long> epochs = new HashSet<>();
      for (Future<Long> f : claims) {
        epochs.add(f.await());
      }
      assertThat(epochs).hasSize(20);
      assertThat(stash.claim(key).await()).isEqualTo(21);
    }

    @Test
    void neverGoesBackwardsAfterARemove() {
      long epoch = stash.claim(key).await();
      stash.put(key, "1", 1, epoch).await();
      stash.remove(key).await();
      assertThat(stash.claim(key).await()).isGreaterThan(epoch);
      assertThatThrownBy(() -> stash.put(key, "2", 1, epoch).await()).isInstanceOf(StashException.class);
    }
  }

  @Nested
  class ClaimAndGet {
    @Test
    void raisesTheEpochAsClaimDoesAndReadsTheEntryAsOfTheClaim() {
      long first = stash.claim(key).await();
      StashEntry written = stash.put(key, "{\"n\":7}", 2, first).await();
      StashClaim claim = stash.claimAndGet(key).await();
      assertThat(claim.epoch()).isEqualTo(first + 1);
      assertThat(claim.entryRead()).isEqualTo(readsEntryWithClaim());
      if (claim.entryRead()) {
        StashEntry read = claim.entry().orElseThrow();
        assertThat(read.json()).isEqualTo("{\"n\":7}");
        assertThat(read.schemaVersion()).isEqualTo(2);
        assertThat(read.revision()).isEqualTo(written.revision());
        assertThat(read.epoch()).isEqualTo(first);
        assertThat(read).isEqualTo(stash.get(key).await().orElseThrow());
      } else {
        assertThat(claim.entry()).isEmpty();
      }
      assertThat(stash.claim(key).await()).isEqualTo(first + 2);
    }

    @Test
    void readsNothingForAKeyWithoutAValue() {
      StashClaim fresh = stash.claimAndGet(key).await();
      assertThat(fresh.epoch()).isEqualTo(1);
      assertThat(fresh.entry()).isEmpty();
      stash.put(key, "1", 1, fresh.epoch()).await();
      stash.remove(key).await();
      StashClaim afterRemove = stash.claimAndGet(key).await();
      assertThat(afterRemove.epoch()).isEqualTo(2);
      assertThat(afterRemove.entryRead()).isEqualTo(readsEntryWithClaim());
      assertThat(afterRemove.entry()).isEmpty();
    }

    @Test
    void fencesTheOlderOwnerAtOnce() {
      long old = stash.claim(key).await();
      stash.put(key, "1", 1, old).await();
      long now = stash.claimAndGet(key).await().epoch();
      assertThatThrownBy(() -> stash.put(key, "2", 1, old).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.STALE_EPOCH));
      assertThat(stash.put(key, "3", 1, now).await().json()).isEqualTo("3");
    }

    @Test
    void isRefusedAtTheLargestEpochAsClaimIs() {
      stash.put(key, "1", 1, Long.MAX_VALUE).await();
      assertThatThrownBy(() -> stash.claimAndGet(key).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.EPOCH_EXHAUSTED));
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo("1");
    }

    @Test
    void rejectsANullKey() {
      assertThatThrownBy(() -> stash.claimAndGet(null).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.INVALID_ARGUMENT));
    }
  }

  @Nested
  class Extremes {
    @Test
    void aClaimAtTheLargestEpochIsRefusedInsteadOfWrapping() {
      stash.put(key, "1", 1, Long.MAX_VALUE).await();
      assertThatThrownBy(() -> stash.claim(key).await())
          .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.EPOCH_EXHAUSTED));
      StashEntry entry = stash.get(key).await().orElseThrow();
      assertThat(entry.json()).isEqualTo("1");
      assertThat(entry.epoch()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fencingHoldsAtTheLargestEpoch() {
      stash.put(key, "1", 1, Long.MAX_VALUE).await();
      assertThatThrownBy(() -> stash.claim(key).await()).isInstanceOf(StashException.class);
      for (long stale : new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE - 1}) {
        assertThatThrownBy(() -> stash.put(key, "2", 1, stale).await()).as("epoch %d", stale)
            .isInstanceOfSatisfying(StashException.class, e -> assertThat(e.reason()).isEqualTo(StashException.Reason.STALE_EPOCH));
      }
      assertThat(stash.put(key, "3", 1, Long.MAX_VALUE).await().json()).isEqualTo("3");
      assertThat(stash.get(key).await().orElseThrow().json()).isEqualTo("3");
    }

    @Test
    void aNegativeEpochNeverOwnsAKey() {
      assertThatThrownBy(() -> stash.put(key, "1", 1, Long.MIN_VALUE).await()).isInstanceOf(StashException.class);
      assertThatThrownBy(() -> stash.put(key, "1", 1, -1).await()).isInstanceOf(StashException.class);
      assertThat(stash.get(key).await()).isEmpty();
      assertThat(stash.claim(key).await()).isEqualTo(1L);
    }

    @Test
    void aClaimAtTheLargestEpochIsRefusedAfterARemoveToo() {
      stash.put(key, "1", 1, Long.MAX_VALUE).await();
      stash.remove(key).await();
      assertThatThrownBy(() -> stash.claim(key).await()).isInstanceOf(StashException.class);
      assertThatThrownBy(() -> stash.put(key, "2", 1, Long.MAX_VALUE - 1).await()).isInstanceOf(StashException.class);
    }
  }

  @Nested
  class Remove {
    @Test
    void forgetsTheValue() {
      stash.put(key, "1", 1, 0).await();
      stash.remove(key).await();
      assertThat(stash.get(key).await()).isEmpty();
    }

    @Test
    void ofAMissingKeyDoesNothing() {
      stash.remove(key).await();
      assertThat(stash.get(key).await()).isEmpty();
    }
  }

  @Nested
  class Quarantine {
    @Test
    void movesTheValueAsideWithTheReason() {
      stash.put(key, "{broken", 2, 0).await();
      stash.quarantine(key, "corrupt: not JSON").await();
      assertThat(stash.get(key).await()).isEmpty();
      Optional<QuarantinedEntry> q = stash.quarantined().await().stream()
          .filter(e -> e.entry().key().equals(key)).findFirst();
      assertThat(q).isPresent();
      assertThat(q.get().entry().json()).isEqualTo("{broken");
      assertThat(q.get().entry().schemaVersion()).isEqualTo(2);
      assertThat(q.get().reason()).isEqualTo("corrupt: not JSON");
      assertThat(q.get().toJson().getString("reason")).isEqualTo("corrupt: not JSON");
    }

    @Test
    void ofAMissingKeyKeepsNothing() {
      stash.quarantine(key, "nothing there").await();
      assertThat(stash.quarantined().await()).noneMatch(e -> e.entry().key().equals(key));
    }

    @Test
    void keepsTheEpochSoFencingStillHolds() {
      long epoch = stash.claim(key).await();
      stash.put(key, "1", 1, epoch).await();
      stash.quarantine(key, "invalid").await();
      long next = stash.claim(key).await();
      assertThat(next).isEqualTo(epoch + 1);
      assertThatThrownBy(() -> stash.put(key, "2", 1, epoch).await()).isInstanceOf(StashException.class);
    }
  }

  @Nested
  class Entries {
    @Test
    void listsEntriesWithValuesByKeyAndLeavesOutRemovedAndQuarantinedOnes() {
      String a = key + "-a", b = key + "-b", gone = key + "-c", bad = key + "-d";
      stash.put(b, "2", 1, 0).await();
      stash.put(a, "1", 1, 0).await();
      stash.put(gone, "3", 1, 0).await();
      stash.remove(gone).await();
      stash.put(bad, "{", 1, 0).await();
      stash.quarantine(bad, "corrupt").await();
      stash.claim(key + "-only-claimed").await();
      List<String> mine = stash.entries().await().stream().map(StashEntry::key)
          .filter(k -> k.startsWith(key)).toList();
      assertThat(mine).containsExactly(a, b);
    }
  }
}
