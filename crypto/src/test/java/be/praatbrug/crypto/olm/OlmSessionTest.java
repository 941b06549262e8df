package be.praatbrug.crypto.olm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Olm between two of our own accounts: property tests and the libolm limits. Interop is in LibolmInteropTest. */
class OlmSessionTest {

  record Pair(OlmAccount aliceAccount, OlmAccount bobAccount, OlmSession alice, OlmSession bob) {}

  /** Alice starts a session with one of Bob's one-time keys; Bob answers once so both have ratcheted. */
  static Pair establish() {
    OlmAccount aliceAccount = OlmAccount.create();
    OlmAccount bobAccount = OlmAccount.create();
    bobAccount.generateOneTimeKeys(1);
    String oneTimeKey = bobAccount.unpublishedOneTimeKeys().values().iterator().next();
    bobAccount.markKeysAsPublished();
    OlmSession alice = OlmSession.createOutbound(aliceAccount, bobAccount.identityKeys().curve25519(), oneTimeKey);
    OlmMessage first = alice.encrypt("hallo Bob");
    assertEquals(OlmMessage.PRE_KEY, first.type());
    OlmSession bob = OlmSession.createInboundFrom(bobAccount, aliceAccount.identityKeys().curve25519(), first);
    assertTrue(bobAccount.removeOneTimeKeys(bob));
    assertEquals("hallo Bob", bob.decryptToString(first));
    assertEquals(alice.sessionId(), bob.sessionId());
    return new Pair(aliceAccount, bobAccount, alice, bob);
  }

  @Test
  void preKeyMessagesUntilTheFirstReply() {
    Pair pair = establish();
    assertEquals(OlmMessage.PRE_KEY, pair.alice().encrypt("nog eens").type());
    OlmMessage reply = pair.bob().encrypt("dag Alice");
    assertEquals(OlmMessage.NORMAL, reply.type());
    assertEquals("dag Alice", pair.alice().decryptToString(reply));
    assertEquals(OlmMessage.NORMAL, pair.alice().encrypt("nu normaal").type());
    assertEquals(0, pair.bobAccount().oneTimeKeyCount());
  }

  /**
   * Random traffic in both directions with messages delivered out of order. libolm keeps only 5
   * receiver chains, so a message may not lag behind 5 newer chains of its sender; here a message
   * waits at most 3 deliveries to its receiver before it must go, which keeps within that limit.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomConversationsWithReorderingRoundTrip(long seed) {
    Random random = new Random(seed);
    Pair pair = establish();
    List<InFlight> toBob = new ArrayList<>();
    List<InFlight> toAlice = new ArrayList<>();
    int delivered = 0;
    for (int step = 0; step < 600; step++) {
      int choice = random.nextInt(4);
      if (choice == 0 && toBob.size() < 10) {
        toBob.add(send(pair.alice(), random));
      } else if (choice == 1 && toAlice.size() < 10) {
        toAlice.add(send(pair.bob(), random));
      } else if (choice == 2 && !toBob.isEmpty()) {
        deliverOne(pair.bob(), toBob, random);
        delivered++;
      } else if (choice == 3 && !toAlice.isEmpty()) {
        deliverOne(pair.alice(), toAlice, random);
        delivered++;
      }
    }
    while (!toBob.isEmpty()) {
      deliverOne(pair.bob(), toBob, random);
    }
    while (!toAlice.isEmpty()) {
      deliverOne(pair.alice(), toAlice, random);
    }
    assertTrue(delivered > 150, "the random walk delivered too little to mean anything");
  }

  private static final class InFlight {
    final OlmMessage message;
    final String plaintext;
    int waited;

    InFlight(OlmMessage message, String plaintext) {
      this.message = message;
      this.plaintext = plaintext;
    }
  }

  private static void deliverOne(OlmSession to, List<InFlight> queue, Random random) {
    InFlight next = queue.stream().filter(m -> m.waited >= 3).findFirst().orElse(queue.get(random.nextInt(queue.size())));
    queue.remove(next);
    queue.forEach(m -> m.waited++);
    assertEquals(next.plaintext, to.decryptToString(next.message));
  }

  private static InFlight send(OlmSession from, Random random) {
    byte[] text = new byte[random.nextInt(300)];
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) ('a' + random.nextInt(26));
    }
    String plaintext = new String(text, java.nio.charset.StandardCharsets.US_ASCII);
    return new InFlight(from.encrypt(plaintext), plaintext);
  }

  @Test
  void keepsFortySkippedKeysAndDropsOlderOnes() {
    Pair pair = establish();
    pair.alice().decrypt(pair.bob().encrypt("ack"));
    List<OlmMessage> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(pair.alice().encrypt("bericht " + i));
    }
    assertEquals("bericht 49", pair.bob().decryptToString(sent.get(49)));
    for (int i = 0; i < 9; i++) {
      OlmMessage dropped = sent.get(i);
      assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> pair.bob().decrypt(dropped)).reason());
    }
    for (int i = 9; i < 49; i++) {
      assertEquals("bericht " + i, pair.bob().decryptToString(sent.get(i)));
    }
  }

  @Test
  void refusesMessagesMoreThanTwoThousandAhead() {
    Pair pair = establish();
    pair.alice().decrypt(pair.bob().encrypt("ack"));
    List<OlmMessage> sent = new ArrayList<>();
    for (int i = 0; i <= 2001; i++) {
      sent.add(pair.alice().encrypt("x"));
    }
    // Bob's new chain starts at 0: index 2000 is the furthest he will derive, 2001 is refused.
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> pair.bob().decrypt(sent.get(2001))).reason());
    assertEquals("x", pair.bob().decryptToString(sent.get(2000)));
  }

  @Test
  void replayedMessageIsRefused() {
    Pair pair = establish();
    OlmMessage reply = pair.bob().encrypt("eenmalig");
    pair.alice().decrypt(reply);
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> pair.alice().decrypt(reply)).reason());
  }

  @Test
  void tamperedMessagesAreRefusedAndLeaveTheSessionUsable() {
    Pair pair = establish();
    OlmMessage reply = pair.bob().encrypt("echt");
    byte[] raw = Base64s.decode(reply.body(), "body");
    for (int position : new int[] {raw.length - 1, raw.length - 12, 40}) {
      byte[] changed = raw.clone();
      changed[position] ^= 0x01;
      OlmMessage forged = new OlmMessage(OlmMessage.NORMAL, Base64s.encode(changed));
      CryptoException error = assertThrows(CryptoException.class, () -> pair.alice().decrypt(forged));
      assertTrue(error.reason() == Reason.BAD_MESSAGE_MAC || error.reason() == Reason.BAD_MESSAGE_FORMAT, error.toString());
    }
    byte[] wrongVersion = raw.clone();
    wrongVersion[0] = 2;
    assertEquals(Reason.BAD_MESSAGE_VERSION, assertThrows(CryptoException.class,
        () -> pair.alice().decrypt(new OlmMessage(OlmMessage.NORMAL, Base64s.encode(wrongVersion)))).reason());
    assertEquals("echt", pair.alice().decryptToString(reply));
  }

  @Test
  void unknownOneTimeKeyIsRefused() {
    Pair pair = establish();
    OlmAccount stranger = OlmAccount.create();
    OlmMessage preKey = pair.alice().encrypt("nog een pre-key bericht");
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> OlmSession.createInbound(stranger, preKey)).reason());
    assertTrue(pair.bob().matchesInbound(preKey));
    assertFalse(pair.bob().matchesInboundFrom(stranger.identityKeys().curve25519(), preKey));
  }

  @Test
  void fallbackKeyServesMoreThanOneSessionUntilForgotten() {
    OlmAccount bob = OlmAccount.create();
    bob.generateFallbackKey();
    Map<String, String> fallback = bob.unpublishedFallbackKey();
    assertEquals(1, fallback.size());
    bob.markKeysAsPublished();
    assertTrue(bob.unpublishedFallbackKey().isEmpty());
    String key = fallback.values().iterator().next();
    for (int i = 0; i < 2; i++) {
      OlmAccount alice = OlmAccount.create();
      OlmSession outbound = OlmSession.createOutbound(alice, bob.identityKeys().curve25519(), key);
      OlmMessage message = outbound.encrypt("via fallback");
      OlmSession inbound = OlmSession.createInbound(bob, message);
      assertFalse(bob.removeOneTimeKeys(inbound));
      assertEquals("via fallback", inbound.decryptToString(message));
    }
    bob.generateFallbackKey();
    bob.generateFallbackKey();
    OlmSession late = OlmSession.createOutbound(OlmAccount.create(), bob.identityKeys().curve25519(), key);
    OlmMessage message = late.encrypt("te laat");
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> OlmSession.createInbound(bob, message)).reason());
  }

  @Test
  void keyIdsCountFromOneAndTheOldestKeysGoFirst() {
    OlmAccount account = OlmAccount.create();
    account.generateOneTimeKeys(2);
    assertEquals(List.of("AAAAAQ", "AAAAAg"), List.copyOf(account.unpublishedOneTimeKeys().keySet()));
    account.generateOneTimeKeys(OlmAccount.MAX_ONE_TIME_KEYS);
    assertEquals(OlmAccount.MAX_ONE_TIME_KEYS, account.oneTimeKeyCount());
    assertFalse(account.unpublishedOneTimeKeys().containsKey("AAAAAQ"));
  }

  @Test
  void descriptionsHoldNoSecrets() {
    Pair pair = establish();
    String secret = Base64.getEncoder().withoutPadding().encodeToString(pair.aliceAccount().identityKey.secretForStorage());
    String described = pair.aliceAccount() + " " + pair.alice() + " " + pair.alice().ratchet + " " + pair.aliceAccount().identityKey;
    assertFalse(described.contains(secret));
    assertFalse(described.contains(Base64s.encode(pair.alice().ratchet.rootKey)));
  }
}
