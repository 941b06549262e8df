package be.praatbrug.crypto.megolm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Primitives;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Megolm between our own sessions: ratchet arithmetic, ordering, exports and refusals. Interop is in LibolmInteropTest. */
class MegolmTest {

  @ParameterizedTest
  @ValueSource(longs = {0x00, 0xF0, 0xFFF0, 0xFFFFF0L, 0x12345678L, 0xFFFFFFF0L})
  void jumpingAheadEqualsSteppingOneByOne(long start) {
    Random random = new Random(start);
    MegolmRatchet stepped = new MegolmRatchet(Primitives.randomBytes(MegolmRatchet.LENGTH), (int) start);
    MegolmRatchet jumped = stepped.copy();
    for (int round = 0; round < 8; round++) {
      int steps = 1 + random.nextInt(40);
      for (int i = 0; i < steps; i++) {
        stepped.advance();
      }
      jumped.advanceTo(stepped.counter());
      assertEquals(stepped.counter(), jumped.counter());
      assertArrayEquals(stepped.data(), jumped.data(), "diverged at counter " + stepped.counter());
    }
  }

  @Test
  void jumpAcrossR2AndR1BoundariesEqualsStepping() {
    MegolmRatchet stepped = new MegolmRatchet(Primitives.randomBytes(MegolmRatchet.LENGTH), 0xFEFF);
    MegolmRatchet jumped = stepped.copy();
    for (int i = 0; i < 0x10203; i++) {
      stepped.advance();
    }
    jumped.advanceTo(stepped.counter());
    assertArrayEquals(stepped.data(), jumped.data());
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void shuffledMessagesAllDecryptWithTheirIndex(long seed) {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(outbound.sessionKey());
    assertEquals(outbound.sessionId(), inbound.sessionId());
    List<String[]> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sent.add(new String[] {outbound.encrypt("bericht " + i), "bericht " + i, Integer.toString(i)});
    }
    Collections.shuffle(sent, new Random(seed));
    for (String[] message : sent) {
      InboundGroupSession.Decrypted decrypted = inbound.decrypt(message[0]);
      assertEquals(message[1], decrypted.text());
      assertEquals(Long.parseLong(message[2]), decrypted.messageIndex());
    }
    assertEquals(0, inbound.firstKnownIndex());
  }

  @Test
  void sessionKeyFromALaterIndexCannotReadEarlierMessages() {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    String early = outbound.encrypt("voor jouw tijd");
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(outbound.sessionKey());
    String later = outbound.encrypt("na jouw komst");
    assertEquals(1, inbound.firstKnownIndex());
    assertEquals(Reason.UNKNOWN_MESSAGE_INDEX, assertThrows(CryptoException.class, () -> inbound.decrypt(early)).reason());
    assertEquals("na jouw komst", inbound.decrypt(later).text());
  }

  @Test
  void exportAndImportKeepFromTheChosenIndexOn() {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    InboundGroupSession original = InboundGroupSession.fromSessionKey(outbound.sessionKey());
    assertTrue(original.isSigningKeyVerified());
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(outbound.encrypt("m" + i));
    }
    assertEquals("m9", original.decrypt(sent.get(9)).text());
    InboundGroupSession fromZero = InboundGroupSession.importSession(original.export(0));
    InboundGroupSession imported = InboundGroupSession.importSession(fromZero.export(5));
    assertFalse(imported.isSigningKeyVerified());
    assertEquals(5, imported.firstKnownIndex());
    assertEquals(outbound.sessionId(), imported.sessionId());
    assertEquals(Reason.UNKNOWN_MESSAGE_INDEX, assertThrows(CryptoException.class, () -> imported.decrypt(sent.get(4))).reason());
    assertEquals("m7", imported.decrypt(sent.get(7)).text());
    assertEquals("m5", imported.decrypt(sent.get(5)).text());
    assertTrue(imported.isSigningKeyVerified());
    assertEquals("m0", fromZero.decrypt(sent.get(0)).text());
    assertEquals(Reason.UNKNOWN_MESSAGE_INDEX, assertThrows(CryptoException.class, () -> imported.export(4)).reason());
  }

  @Test
  void signatureAndMacAreBothChecked() {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(outbound.sessionKey());
    byte[] raw = Base64s.decode(outbound.encrypt("ondertekend"), "message");

    byte[] badSignature = raw.clone();
    badSignature[raw.length - 1] ^= 1;
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(CryptoException.class, () -> inbound.decrypt(Base64s.encode(badSignature))).reason());

    byte[] badCiphertext = raw.clone();
    badCiphertext[6] ^= 1;
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(CryptoException.class, () -> inbound.decrypt(Base64s.encode(badCiphertext))).reason());

    // A sender who signs a message with a wrong MAC: the MAC check must catch what the signature does not.
    byte[] badMac = raw.clone();
    int macOffset = raw.length - GroupWire.TRAILER;
    badMac[macOffset] ^= 1;
    outbound.signingKey.sign(badMac, 0, macOffset + Primitives.TRUNCATED_MAC_LENGTH, badMac, macOffset + Primitives.TRUNCATED_MAC_LENGTH);
    assertEquals(Reason.BAD_MESSAGE_MAC, assertThrows(CryptoException.class, () -> inbound.decrypt(Base64s.encode(badMac))).reason());

    byte[] badVersion = raw.clone();
    badVersion[0] = 4;
    assertEquals(Reason.BAD_MESSAGE_VERSION, assertThrows(CryptoException.class, () -> inbound.decrypt(Base64s.encode(badVersion))).reason());
    assertEquals("ondertekend", inbound.decrypt(Base64s.encode(raw)).text());
  }

  @Test
  void sessionKeyWithABrokenSignatureIsRefused() {
    byte[] key = Base64s.decode(OutboundGroupSession.create().sessionKey(), "key");
    key[10] ^= 1;
    assertEquals(Reason.BAD_SIGNATURE, assertThrows(CryptoException.class, () -> InboundGroupSession.fromSessionKey(Base64s.encode(key))).reason());
    assertEquals(Reason.BAD_SESSION_KEY, assertThrows(CryptoException.class, () -> InboundGroupSession.importSession(Base64s.encode(key))).reason());
  }

  @Test
  void replayGuardRefusesAnIndexReusedByAnotherEvent() {
    ReplayGuard guard = new ReplayGuard();
    assertTrue(guard.accept("s", 3, "$a", 100));
    assertTrue(guard.accept("s", 3, "$a", 100));
    assertFalse(guard.accept("s", 3, "$b", 100));
    assertTrue(guard.accept("s", 4, "$b", 100));
  }

  @Test
  void descriptionsHoldNoKeys() {
    OutboundGroupSession outbound = OutboundGroupSession.create();
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(outbound.sessionKey());
    String ratchet = Base64s.encode(outbound.ratchet.data());
    String described = outbound + " " + inbound + " " + outbound.ratchet + " " + outbound.signingKey;
    assertFalse(described.contains(ratchet.substring(0, 20)));
    assertFalse(described.contains(Base64s.encode(outbound.signingKey.seedForStorage())));
  }
}
