package dev.overseer.cluster.impl;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeaseClockTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LeaseClock lease = new LeaseClock(3_000, now::get);

  @Test
  void neverGrantedIsNotValid() {
    assertThat(lease.valid()).isFalse();
    assertThat(lease.remaining()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void validFromTheSendTimeNotTheAnswerTime() {
    long sent = lease.now();
    now.addAndGet(2_500); // the confirmation took long (or sat in a socket during a pause)
    lease.confirmed(sent);
    assertThat(lease.valid()).isTrue();
    assertThat(lease.remaining()).isEqualTo(500);
    now.addAndGet(500);
    assertThat(lease.valid()).as("expires exactly at send + length").isFalse();
  }

  @Test
  void aPauseLongerThanTheLeaseExpiresItAtOnceAndALateAnswerGrantsNothing() {
    long sent = lease.now();
    lease.confirmed(sent);
    long inFlight = lease.now();
    now.addAndGet(6_000); // SIGSTOP: the monotonic clock runs on
    assertThat(lease.valid()).isFalse();
    lease.confirmed(inFlight); // an answer to a renewal sent before the pause
    assertThat(lease.valid()).isFalse();
    assertThat(lease.remaining()).isEqualTo(-3_000);
    lease.confirmed(lease.now()); // a fresh renewal after the merge
    assertThat(lease.valid()).isTrue();
  }

  @Test
  void anOlderConfirmationNeverShortensTheLease() {
    long first = lease.now();
    now.addAndGet(1_000);
    long second = lease.now();
    lease.confirmed(second);
    lease.confirmed(first);
    assertThat(lease.remaining()).isEqualTo(3_000);
  }

  @Test
  void worksAcrossTheClockWrapping() {
    now.set(Long.MAX_VALUE - 1_000);
    lease.confirmed(lease.now());
    now.addAndGet(2_000); // wraps
    assertThat(lease.valid()).isTrue();
    now.addAndGet(1_000);
    assertThat(lease.valid()).isFalse();
  }

  @Test
  void refusesANonPositiveLength() {
    assertThatThrownBy(() -> new LeaseClock(0, now::get)).isInstanceOf(IllegalArgumentException.class);
  }
}
