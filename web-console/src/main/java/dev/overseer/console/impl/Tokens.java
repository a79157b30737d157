package dev.overseer.console.impl;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The console's access token: generation, where a request may carry it, and a comparison whose
 * time does not depend on how many leading characters match.
 *
 * <p>A request carries the token in {@code Authorization: Bearer <token>} or
 * {@code X-Overseer-Token: <token>}, never in a cookie (so a page on another site cannot make a
 * browser send it) and never in the URL (which ends up in logs). Browsers cannot set headers on
 * a WebSocket, so the live channel also accepts it as a requested sub-protocol
 * {@code bearer.<token>}, the way Kubernetes' API server does; the server never selects that
 * sub-protocol, so the token is not echoed back.
 */
public final class Tokens {

  /** Header that carries the token when {@code Authorization} is taken by a proxy. */
  public static final String HEADER = "X-Overseer-Token";
  /** Sub-protocol the live channel speaks; browsers must request it next to the token. */
  public static final String LIVE_PROTOCOL = "overseer.v1";
  /** Prefix of the sub-protocol that carries the token on the live channel. */
  public static final String PROTOCOL_PREFIX = "bearer.";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] expected;

  /** @param token the token requests must present */
  public Tokens(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  /** @return a fresh token: 32 random bytes (256 bits), base64url without padding */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** @return whether the request carries the token in a header */
  public boolean inHeaders(HttpServerRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && matches(auth.substring(7).trim())) {
      return true;
    }
    String header = request.getHeader(HEADER);
    return header != null && matches(header.trim());
  }

  /** @return whether a WebSocket upgrade carries the token in a header or as a sub-protocol */
  public boolean inUpgrade(HttpServerRequest request) {
    if (inHeaders(request)) {
      return true;
    }
    String protocols = request.getHeader("Sec-WebSocket-Protocol");
    if (protocols == null) {
      return false;
    }
    boolean found = false;
    for (String protocol : protocols.split(",")) {
      String p = protocol.trim();
      // no early exit: every offered protocol is compared, whatever the first ones hold
      if (p.startsWith(PROTOCOL_PREFIX) && matches(p.substring(PROTOCOL_PREFIX.length()))) {
        found = true;
      }
    }
    return found;
  }

  /** @return whether {@code candidate} is the token, compared in constant time */
  public boolean matches(String candidate) {
    return candidate != null && MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
  }
}
