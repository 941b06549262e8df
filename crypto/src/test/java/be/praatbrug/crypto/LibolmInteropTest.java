package be.praatbrug.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.megolm.InboundGroupSession;
import be.praatbrug.crypto.megolm.OutboundGroupSession;
import be.praatbrug.crypto.megolm.RoomKeyExport;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmMessage;
import be.praatbrug.crypto.olm.OlmSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interoperability with libolm, the C library Element and mautrix used for years, through Debian's
 * python3-olm: every message our code makes, libolm must read, and the other way round, including
 * out-of-order delivery, and both must refuse the same forgeries.
 */
class LibolmInteropTest {

  private static final String UNICODE = "Dag, hoe gaat het? é ü 日本 🙂";
  private static LibolmPeer libolm;

  @BeforeAll
  static void startLibolm() throws IOException {
    libolm = LibolmPeer.start();
  }

  @AfterAll
  static void stopLibolm() throws IOException {
    libolm.close();
  }

  /** A libolm account with one published one-time key. */
  private record LibolmAccount(int handle, String curve25519, String ed25519, String oneTimeKey) {}

  private static LibolmAccount libolmAccount() {
    JsonNode account = libolm.ok(libolm.request("account_new"));
    int handle = account.get("account").asInt();
    JsonNode keys = libolm.ok(libolm.request("account_one_time_keys").put("account", handle).put("count", 1));
    return new LibolmAccount(handle, account.at("/identity_keys/curve25519").asText(),
        account.at("/identity_keys/ed25519").asText(), keys.get("one_time_keys").elements().next().asText());
  }

  private static JsonNode libolmEncrypt(int session, String plaintext) {
    return libolm.ok(libolm.request("session_encrypt").put("session", session).put("plaintext", plaintext));
  }

  private static String libolmDecrypt(int session, OlmMessage message) {
    return libolm.ok(libolm.request("session_decrypt").put("session", session).put("type", message.type())
        .put("body", message.body())).get("plaintext").asText();
  }

  private static OlmMessage olmMessage(JsonNode answer) {
    return new OlmMessage(answer.get("type").asInt(), answer.get("body").asText());
  }

  @Test
  void olmFromUsToLibolmAndBackWithReordering() {
    OlmAccount ours = OlmAccount.create();
    LibolmAccount theirs = libolmAccount();
    OlmSession session = OlmSession.createOutbound(ours, theirs.curve25519(), theirs.oneTimeKey());
    List<OlmMessage> preKeys = List.of(session.encrypt(UNICODE), session.encrypt("twee"), session.encrypt("drie"));
    preKeys.forEach(message -> assertEquals(OlmMessage.PRE_KEY, message.type()));

    JsonNode inbound = libolm.ok(libolm.request("session_inbound").put("account", theirs.handle())
        .put("type", 0).put("body", preKeys.get(0).body()).put("identity_key", ours.identityKeys().curve25519()));
    int peer = inbound.get("session").asInt();
    assertEquals(session.sessionId(), inbound.get("session_id").asText());
    assertEquals(UNICODE, libolmDecrypt(peer, preKeys.get(0)));
    assertEquals("drie", libolmDecrypt(peer, preKeys.get(2)));
    assertEquals("twee", libolmDecrypt(peer, preKeys.get(1)));

    converse(session, peer, new Random(21));
  }

  @Test
  void olmFromLibolmToUsWithReordering() {
    OlmAccount ours = OlmAccount.create();
    ours.generateOneTimeKeys(3);
    String oneTimeKey = ours.unpublishedOneTimeKeys().values().iterator().next();
    ours.markKeysAsPublished();
    LibolmAccount theirs = libolmAccount();
    JsonNode outbound = libolm.ok(libolm.request("session_outbound").put("account", theirs.handle())
        .put("identity_key", ours.identityKeys().curve25519()).put("one_time_key", oneTimeKey));
    int peer = outbound.get("session").asInt();
    List<OlmMessage> preKeys = new ArrayList<>();
    for (String text : List.of(UNICODE, "twee", "drie")) {
      preKeys.add(olmMessage(libolmEncrypt(peer, text)));
    }
    OlmSession session = OlmSession.createInboundFrom(ours, theirs.curve25519(), preKeys.get(1));
    assertTrue(ours.removeOneTimeKeys(session));
    assertEquals(2, ours.oneTimeKeyCount());
    assertEquals(outbound.get("session_id").asText(), session.sessionId());
    assertTrue(session.matchesInbound(preKeys.get(0)));
    assertEquals("twee", session.decryptToString(preKeys.get(1)));
    assertEquals("drie", session.decryptToString(preKeys.get(2)));
    assertEquals(UNICODE, session.decryptToString(preKeys.get(0)));

    converse(session, peer, new Random(22));
  }

  @Test
  void olmThroughAFallbackKey() {
    OlmAccount ours = OlmAccount.create();
    ours.generateFallbackKey();
    String fallback = ours.unpublishedFallbackKey().values().iterator().next();
    LibolmAccount theirs = libolmAccount();
    int peer = libolm.ok(libolm.request("session_outbound").put("account", theirs.handle())
        .put("identity_key", ours.identityKeys().curve25519()).put("one_time_key", fallback)).get("session").asInt();
    OlmMessage first = olmMessage(libolmEncrypt(peer, "via fallback"));
    OlmSession session = OlmSession.createInbound(ours, first);
    assertEquals("via fallback", session.decryptToString(first));
    assertEquals("terug", libolmDecrypt(peer, session.encrypt("terug")));
  }

  /**
   * Rounds of traffic both ways: each side sends a burst, the other reads it in a shuffled order
   * with one message held back to the end of the round, so chains ratchet and keys get skipped.
   */
  private static void converse(OlmSession ours, int peer, Random random) {
    for (int round = 0; round < 12; round++) {
      List<OlmMessage> fromUs = new ArrayList<>();
      List<String> ourTexts = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
        String text = "wij " + round + "." + i + " " + UNICODE.repeat(random.nextInt(4));
        ourTexts.add(text);
        fromUs.add(ours.encrypt(text));
      }
      List<Integer> order = shuffled(fromUs.size(), random);
      for (int index : order) {
        assertEquals(ourTexts.get(index), libolmDecrypt(peer, fromUs.get(index)), "libolm read our message " + round + "." + index);
      }
      List<OlmMessage> fromThem = new ArrayList<>();
      List<String> theirTexts = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
        String text = "zij " + round + "." + i;
        theirTexts.add(text);
        fromThem.add(olmMessage(libolmEncrypt(peer, text)));
      }
      for (int index : shuffled(fromThem.size(), random)) {
        assertEquals(theirTexts.get(index), ours.decryptToString(fromThem.get(index)), "we read libolm's message " + round + "." + index);
      }
      OlmMessage closing = ours.encrypt("sluitstuk " + round);
      assertEquals(OlmMessage.NORMAL, closing.type(), "after a reply we send normal messages");
      assertEquals("sluitstuk " + round, libolmDecrypt(peer, closing));
    }
  }

  private static List<Integer> shuffled(int size, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    return order;
  }

  @Test
  void forgedOlmMessagesAreRefusedByBothSides() {
    OlmAccount ours = OlmAccount.create();
    LibolmAccount theirs = libolmAccount();
    OlmSession session = OlmSession.createOutbound(ours, theirs.curve25519(), theirs.oneTimeKey());
    OlmMessage first = session.encrypt("begin");
    int peer = libolm.ok(libolm.request("session_inbound").put("account", theirs.handle()).put("type", 0)
        .put("body", first.body())).get("session").asInt();
    assertEquals("begin", libolmDecrypt(peer, first));
    OlmMessage reply = olmMessage(libolmEncrypt(peer, "antwoord"));
    assertEquals("antwoord", session.decryptToString(reply));

    OlmMessage ourMessage = session.encrypt("echt van ons");
    for (int position : new int[] {-1, -9, 45}) {
      String forged = flip(ourMessage.body(), position);
      assertEquals("BAD_MESSAGE_MAC", libolm.error(libolm.request("session_decrypt").put("session", peer).put("type", 1).put("body", forged)));
    }
    assertEquals("echt van ons", libolmDecrypt(peer, ourMessage));

    OlmMessage theirMessage = olmMessage(libolmEncrypt(peer, "echt van libolm"));
    for (int position : new int[] {-1, -9, 45}) {
      OlmMessage forged = new OlmMessage(1, flip(theirMessage.body(), position));
      assertEquals(Reason.BAD_MESSAGE_MAC, assertThrows(CryptoException.class, () -> session.decrypt(forged)).reason());
    }
    assertEquals("echt van libolm", session.decryptToString(theirMessage));
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class, () -> session.decrypt(theirMessage)).reason());
  }

  /** Flips the lowest bit of one byte; a negative position counts from the end. */
  private static String flip(String body, int position) {
    byte[] raw = Base64s.decode(body, "body");
    int at = position < 0 ? raw.length + position : position;
    raw[at] ^= 1;
    return Base64s.encode(raw);
  }

  @Test
  void megolmFromUsToLibolmShuffledAcrossTheR2Boundary() {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(outbound.encrypt("vooraf " + i));
    }
    JsonNode inbound = libolm.ok(libolm.request("group_inbound").put("session_key", outbound.sessionKey()));
    int peer = inbound.get("group").asInt();
    assertEquals(outbound.sessionId(), inbound.get("session_id").asText());
    assertEquals(3, inbound.get("first_known_index").asInt());
    assertTrue(libolm.error(libolm.request("group_decrypt").put("group", peer).put("ciphertext", sent.get(0))).contains("UNKNOWN_MESSAGE_INDEX"));
    List<Integer> indexes = new ArrayList<>();
    sent.clear();
    for (int i = 3; i < 300; i++) {
      sent.add(outbound.encrypt(UNICODE + " #" + i));
      indexes.add(i);
    }
    List<Integer> order = shuffled(sent.size(), new Random(31));
    for (int k : order) {
      JsonNode answer = libolm.ok(libolm.request("group_decrypt").put("group", peer).put("ciphertext", sent.get(k)));
      assertEquals(UNICODE + " #" + indexes.get(k), answer.get("plaintext").asText());
      assertEquals((int) indexes.get(k), answer.get("message_index").asInt());
    }
    // libolm exports the session as it knows it; we import that and read a message from it.
    String exported = libolm.ok(libolm.request("group_export").put("group", peer).put("index", 200)).get("exported").asText();
    InboundGroupSession imported = InboundGroupSession.importSession(exported);
    assertEquals(200, imported.firstKnownIndex());
    assertEquals(UNICODE + " #250", imported.decrypt(sent.get(247)).text());
  }

  @Test
  void megolmFromLibolmToUsShuffledWithExportsBothWays() {
    JsonNode outbound = libolm.ok(libolm.request("group_outbound"));
    int peer = outbound.get("group").asInt();
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(outbound.get("session_key").asText());
    assertEquals(outbound.get("session_id").asText(), inbound.sessionId());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 280; i++) {
      JsonNode answer = libolm.ok(libolm.request("group_encrypt").put("group", peer).put("plaintext", "libolm " + i + " " + UNICODE));
      assertEquals(i, answer.get("message_index").asInt());
      sent.add(answer.get("ciphertext").asText());
    }
    for (int k : shuffled(sent.size(), new Random(32))) {
      InboundGroupSession.Decrypted decrypted = inbound.decrypt(sent.get(k));
      assertEquals("libolm " + k + " " + UNICODE, decrypted.text());
      assertEquals(k, decrypted.messageIndex());
    }
    int imported = libolm.ok(libolm.request("group_import").put("exported", inbound.export(270))).get("group").asInt();
    assertEquals("libolm 275 " + UNICODE,
        libolm.ok(libolm.request("group_decrypt").put("group", imported).put("ciphertext", sent.get(275))).get("plaintext").asText());
    assertTrue(libolm.error(libolm.request("group_decrypt").put("group", imported).put("ciphertext", sent.get(269))).contains("UNKNOWN_MESSAGE_INDEX"));
  }

  @Test
  void forgedMegolmMessagesAndKeysAreRefusedByBothSides() {
    OutboundGroupSession ours = OutboundGroupSession.create();
    int theirInbound = libolm.ok(libolm.request("group_inbound").put("session_key", ours.sessionKey())).get("group").asInt();
    String message = ours.encrypt("ondertekend");
    for (int position : new int[] {-1, -70, 5}) {
      String error = libolm.error(libolm.request("group_decrypt").put("group", theirInbound).put("ciphertext", flip(message, position)));
      assertTrue(error.contains("BAD_SIGNATURE"), error);
    }
    assertEquals("ondertekend", libolm.ok(libolm.request("group_decrypt").put("group", theirInbound).put("ciphertext", message)).get("plaintext").asText());
    assertTrue(libolm.error(libolm.request("group_inbound").put("session_key", flip(ours.sessionKey(), 20))).contains("BAD_SIGNATURE"));

    JsonNode theirs = libolm.ok(libolm.request("group_outbound"));
    InboundGroupSession ourInbound = InboundGroupSession.fromSessionKey(theirs.get("session_key").asText());
    String theirMessage = libolm.ok(libolm.request("group_encrypt").put("group", theirs.get("group").asInt()).put("plaintext", "van libolm")).get("ciphertext").asText();
    for (int position : new int[] {-1, -70, 5}) {
      String forged = flip(theirMessage, position);
      assertEquals(Reason.BAD_SIGNATURE, assertThrows(CryptoException.class, () -> ourInbound.decrypt(forged)).reason());
    }
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(CryptoException.class,
        () -> InboundGroupSession.fromSessionKey(flip(theirs.get("session_key").asText(), 20))).reason());
    assertEquals("van libolm", ourInbound.decrypt(theirMessage).text());
  }

  @Test
  void signaturesOfCanonicalJsonVerifyBothWays() {
    OlmAccount ours = OlmAccount.create();
    Map<String, Object> deviceKeys = new LinkedHashMap<>();
    deviceKeys.put("user_id", "@praatbrug:caw.example");
    deviceKeys.put("device_id", "PRAATBRUG");
    deviceKeys.put("algorithms", List.of("m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"));
    deviceKeys.put("keys", Map.of("curve25519:PRAATBRUG", ours.identityKeys().curve25519(), "ed25519:PRAATBRUG", ours.identityKeys().ed25519()));
    String canonical = new String(CanonicalJson.signingBytes(deviceKeys), java.nio.charset.StandardCharsets.UTF_8);
    String signature = ours.signJson(deviceKeys);
    assertTrue(libolm.ok(libolm.request("ed25519_verify").put("key", ours.identityKeys().ed25519())
        .put("message", canonical).put("signature", signature)).get("valid").asBoolean());
    assertFalse(libolm.ok(libolm.request("ed25519_verify").put("key", ours.identityKeys().ed25519())
        .put("message", canonical + " ").put("signature", signature)).get("valid").asBoolean());

    LibolmAccount theirs = libolmAccount();
    String theirSignature = libolm.ok(libolm.request("account_sign").put("account", theirs.handle()).put("message", canonical)).get("signature").asText();
    byte[] key = Base64s.decodeKey(theirs.ed25519(), "ed25519");
    assertTrue(Ed25519Verifier.verify(key, canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8), Base64s.decode(theirSignature, "sig")));
    assertFalse(Ed25519Verifier.verify(key, (canonical + " ").getBytes(java.nio.charset.StandardCharsets.UTF_8), Base64s.decode(theirSignature, "sig")));
  }

  @Test
  void savedAndRestoredStateCarriesOnWithLibolm() {
    OlmAccount account = OlmAccount.create();
    account.generateOneTimeKeys(2);
    account.generateFallbackKey();
    String oneTimeKey = account.unpublishedOneTimeKeys().values().iterator().next();
    account.markKeysAsPublished();
    account = OlmAccount.fromState(account.toState());
    LibolmAccount theirs = libolmAccount();
    int peer = libolm.ok(libolm.request("session_outbound").put("account", theirs.handle())
        .put("identity_key", account.identityKeys().curve25519()).put("one_time_key", oneTimeKey)).get("session").asInt();
    OlmMessage first = olmMessage(libolmEncrypt(peer, "een"));
    OlmMessage second = olmMessage(libolmEncrypt(peer, "twee"));
    OlmSession session = OlmSession.createInbound(account, first);
    account.removeOneTimeKeys(session);
    assertEquals("een", session.decryptToString(first));
    session = OlmSession.fromState(session.toState());
    assertEquals(libolmDecrypt(peer, session.encrypt("drie")), "drie");
    OlmMessage fourth = olmMessage(libolmEncrypt(peer, "vier"));
    session = OlmSession.fromState(session.toState());
    assertEquals("vier", session.decryptToString(fourth));
    assertEquals("twee", OlmSession.fromState(session.toState()).decryptToString(second));
    assertEquals(1, OlmAccount.fromState(account.toState()).oneTimeKeyCount());

    OutboundGroupSession outbound = OutboundGroupSession.create();
    int theirInbound = libolm.ok(libolm.request("group_inbound").put("session_key", outbound.sessionKey())).get("group").asInt();
    outbound.encrypt("vooraf");
    OutboundGroupSession restored = OutboundGroupSession.fromState(outbound.toState());
    assertEquals(outbound.sessionId(), restored.sessionId());
    JsonNode read = libolm.ok(libolm.request("group_decrypt").put("group", theirInbound).put("ciphertext", restored.encrypt("na herstel")));
    assertEquals("na herstel", read.get("plaintext").asText());
    assertEquals(1, read.get("message_index").asInt());

    JsonNode theirOutbound = libolm.ok(libolm.request("group_outbound"));
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(theirOutbound.get("session_key").asText());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(libolm.ok(libolm.request("group_encrypt").put("group", theirOutbound.get("group").asInt()).put("plaintext", "g" + i)).get("ciphertext").asText());
    }
    assertEquals("g3", inbound.decrypt(sent.get(3)).text());
    inbound = InboundGroupSession.fromState(inbound.toState());
    assertEquals("g1", inbound.decrypt(sent.get(1)).text());
    assertEquals("g4", inbound.decrypt(sent.get(4)).text());
  }

  @Test
  void damagedStateIsRefused() {
    byte[] state = OlmAccount.create().toState();
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> OlmAccount.fromState(java.util.Arrays.copyOf(state, state.length - 1))).reason());
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> OlmSession.fromState(state)).reason());
    byte[] longer = java.util.Arrays.copyOf(state, state.length + 1);
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class, () -> OlmAccount.fromState(longer)).reason());
  }

  /**
   * The passphrase is ASCII on purpose: matrix-nio hands PyCryptodome a str, which encodes it as
   * Latin-1, where the spec (and matrix-js-sdk, and we) use UTF-8.
   */
  @Test
  void keyExportFilesReadByMatrixNioAndBack() {
    String json = "[{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_key\":\"" + InboundGroupSession
        .fromSessionKey(OutboundGroupSession.create().sessionKey()).export(0) + "\",\"note\":\"" + UNICODE + "\"}]";
    String ourFile = RoomKeyExport.encrypt(json, "wacht woord 42".toCharArray(), 2000);
    assertEquals(json, libolm.ok(libolm.request("export_decrypt").put("file", ourFile).put("passphrase", "wacht woord 42")).get("data").asText());
    assertTrue(libolm.error(libolm.request("export_decrypt").put("file", ourFile).put("passphrase", "fout")).startsWith("EXPORT"));
    String theirFile = libolm.ok(libolm.request("export_encrypt").put("data", json).put("passphrase", "wacht woord 42").put("rounds", 2000)).get("file").asText();
    assertEquals(json, RoomKeyExport.decrypt(theirFile, "wacht woord 42".toCharArray()));
    assertEquals(Reason.BAD_PASSPHRASE_OR_FILE, assertThrows(CryptoException.class, () -> RoomKeyExport.decrypt(theirFile, "fout".toCharArray())).reason());
  }
}
