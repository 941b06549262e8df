package be.praatbrug.crypto.olm;

import be.praatbrug.crypto.AesSha2Cipher;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Curve25519KeyPair;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The Olm double ratchet, step for step as libolm's ratchet.cpp: a root key, one sender chain,
 * up to 5 receiver chains and up to 40 skipped message keys (newest first, oldest dropped), and at
 * most 2000 message keys derived for one incoming message. A message that fails its MAC leaves
 * the state untouched.
 */
final class Ratchet {

  static final int MAX_RECEIVER_CHAINS = 5;
  static final int MAX_SKIPPED_MESSAGE_KEYS = 40;
  static final int MAX_MESSAGE_GAP = 2000;

  private static final byte[] ROOT_INFO = "OLM_ROOT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] RATCHET_INFO = "OLM_RATCHET".getBytes(StandardCharsets.US_ASCII);
  private static final AesSha2Cipher CIPHER = new AesSha2Cipher("OLM_KEYS");
  private static final byte[] MESSAGE_KEY_SEED = {0x01};
  private static final byte[] CHAIN_KEY_SEED = {0x02};

  /** A chain key and the index of the message key it yields next. */
  record ChainKey(byte[] key, long index) {
    ChainKey next() {
      return new ChainKey(Primitives.hmacSha256(key, CHAIN_KEY_SEED), index + 1);
    }

    byte[] messageKey() {
      return Primitives.hmacSha256(key, MESSAGE_KEY_SEED);
    }

    ChainKey advancedTo(long target) {
      ChainKey chain = this;
      while (chain.index < target) {
        chain = chain.next();
      }
      return chain;
    }

    @Override
    public String toString() {
      return "ChainKey[index=" + index + "]";
    }
  }

  record SenderChain(Curve25519KeyPair ratchetKey, ChainKey chainKey) {}

  record ReceiverChain(byte[] ratchetKey, ChainKey chainKey) {}

  record SkippedKey(byte[] ratchetKey, long index, byte[] messageKey) {
    @Override
    public String toString() {
      return "SkippedKey[index=" + index + "]";
    }
  }

  byte[] rootKey;
  SenderChain senderChain;
  final ArrayDeque<ReceiverChain> receiverChains = new ArrayDeque<>();
  final ArrayDeque<SkippedKey> skippedKeys = new ArrayDeque<>();

  static Ratchet asAlice(byte[] sharedSecret, Curve25519KeyPair ourRatchetKey) {
    Ratchet ratchet = new Ratchet();
    byte[] derived = Primitives.hkdfSha256(new byte[0], sharedSecret, ROOT_INFO, 64);
    ratchet.rootKey = Arrays.copyOfRange(derived, 0, 32);
    ratchet.senderChain = new SenderChain(ourRatchetKey, new ChainKey(Arrays.copyOfRange(derived, 32, 64), 0));
    return ratchet;
  }

  static Ratchet asBob(byte[] sharedSecret, byte[] theirRatchetKey) {
    Ratchet ratchet = new Ratchet();
    byte[] derived = Primitives.hkdfSha256(new byte[0], sharedSecret, ROOT_INFO, 64);
    ratchet.rootKey = Arrays.copyOfRange(derived, 0, 32);
    ratchet.receiverChains.addFirst(new ReceiverChain(theirRatchetKey.clone(), new ChainKey(Arrays.copyOfRange(derived, 32, 64), 0)));
    return ratchet;
  }

  /** Root step: HKDF(salt = root key, ECDH(ours, theirs), "OLM_RATCHET") = new root key and chain key. */
  private static byte[][] rootStep(byte[] rootKey, Curve25519KeyPair ours, byte[] theirs) {
    byte[] derived = Primitives.hkdfSha256(rootKey, ours.agree(theirs), RATCHET_INFO, 64);
    return new byte[][] {Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 32, 64)};
  }

  /** Encrypts one message and returns its encoding with the MAC in place. */
  byte[] encrypt(byte[] plaintext) {
    if (senderChain == null) {
      Curve25519KeyPair ratchetKey = Curve25519KeyPair.generate();
      byte[][] step = rootStep(rootKey, ratchetKey, receiverChains.getFirst().ratchetKey());
      rootKey = step[0];
      senderChain = new SenderChain(ratchetKey, new ChainKey(step[1], 0));
    }
    ChainKey chainKey = senderChain.chainKey();
    AesSha2Cipher.MessageKeys keys = CIPHER.derive(chainKey.messageKey());
    senderChain = new SenderChain(senderChain.ratchetKey(), chainKey.next());
    byte[] message = OlmWire.encodeNormal(senderChain.ratchetKey().publicKey(), chainKey.index(), keys.encrypt(plaintext));
    keys.writeMac(message, message.length - Primitives.TRUNCATED_MAC_LENGTH);
    keys.wipe();
    return message;
  }

  byte[] decrypt(byte[] raw) {
    OlmWire.Normal message = OlmWire.decodeNormal(raw);
    ReceiverChain chain = null;
    for (ReceiverChain candidate : receiverChains) {
      if (Arrays.equals(candidate.ratchetKey(), message.ratchetKey())) {
        chain = candidate;
        break;
      }
    }
    if (chain == null) {
      return decryptOnNewChain(message);
    }
    if (chain.chainKey().index() > message.counter()) {
      return decryptWithSkippedKey(message);
    }
    if (message.counter() - chain.chainKey().index() > MAX_MESSAGE_GAP) {
      throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "message is too far ahead in its chain");
    }
    byte[] plaintext = verifyAndDecrypt(chain.chainKey().advancedTo(message.counter()).messageKey(), message);
    replaceChain(chain, storeSkippedAndAdvance(chain, message.counter()));
    return plaintext;
  }

  private byte[] decryptOnNewChain(OlmWire.Normal message) {
    // The peer may only start a chain after hearing from us, so we must have a sender chain.
    if (senderChain == null) {
      throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "new ratchet key before we have sent");
    }
    if (message.counter() > MAX_MESSAGE_GAP) {
      throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "message is too far ahead in its chain");
    }
    byte[][] step = rootStep(rootKey, senderChain.ratchetKey(), message.ratchetKey());
    ReceiverChain fresh = new ReceiverChain(message.ratchetKey(), new ChainKey(step[1], 0));
    byte[] plaintext = verifyAndDecrypt(fresh.chainKey().advancedTo(message.counter()).messageKey(), message);
    rootKey = step[0];
    if (receiverChains.size() == MAX_RECEIVER_CHAINS) {
      receiverChains.removeLast();
    }
    receiverChains.addFirst(fresh);
    replaceChain(fresh, storeSkippedAndAdvance(fresh, message.counter()));
    senderChain = null;
    return plaintext;
  }

  private byte[] decryptWithSkippedKey(OlmWire.Normal message) {
    for (Iterator<SkippedKey> it = skippedKeys.iterator(); it.hasNext(); ) {
      SkippedKey skipped = it.next();
      if (skipped.index() == message.counter() && Arrays.equals(skipped.ratchetKey(), message.ratchetKey())) {
        byte[] plaintext = verifyAndDecrypt(skipped.messageKey(), message);
        it.remove();
        return plaintext;
      }
    }
    throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "message key already used or dropped");
  }

  /** Keeps the keys of messages not yet seen on this chain, then moves the chain past the message. */
  private ReceiverChain storeSkippedAndAdvance(ReceiverChain chain, long counter) {
    ChainKey chainKey = chain.chainKey();
    while (chainKey.index() < counter) {
      if (skippedKeys.size() == MAX_SKIPPED_MESSAGE_KEYS) {
        skippedKeys.removeLast();
      }
      skippedKeys.addFirst(new SkippedKey(chain.ratchetKey(), chainKey.index(), chainKey.messageKey()));
      chainKey = chainKey.next();
    }
    return new ReceiverChain(chain.ratchetKey(), chainKey.next());
  }

  private void replaceChain(ReceiverChain old, ReceiverChain updated) {
    ArrayDeque<ReceiverChain> copy = new ArrayDeque<>(receiverChains.size());
    for (ReceiverChain chain : receiverChains) {
      copy.addLast(chain == old ? updated : chain);
    }
    receiverChains.clear();
    receiverChains.addAll(copy);
  }

  private static byte[] verifyAndDecrypt(byte[] messageKey, OlmWire.Normal message) {
    AesSha2Cipher.MessageKeys keys = CIPHER.derive(messageKey);
    try {
      if (!keys.macMatches(message.raw(), message.macOffset())) {
        throw new CryptoException(Reason.BAD_MESSAGE_MAC, "message MAC does not match");
      }
      return keys.decrypt(message.raw(), message.ciphertextOffset(), message.ciphertextLength());
    } finally {
      keys.wipe();
    }
  }

  void write(StateCodec.Writer out) {
    out.bytes(rootKey).bool(senderChain != null);
    if (senderChain != null) {
      out.bytes(senderChain.ratchetKey().secretForStorage()).bytes(senderChain.chainKey().key()).number(senderChain.chainKey().index());
    }
    out.integer(receiverChains.size());
    for (ReceiverChain chain : receiverChains) {
      out.bytes(chain.ratchetKey()).bytes(chain.chainKey().key()).number(chain.chainKey().index());
    }
    out.integer(skippedKeys.size());
    for (SkippedKey key : skippedKeys) {
      out.bytes(key.ratchetKey()).number(key.index()).bytes(key.messageKey());
    }
  }

  static Ratchet read(StateCodec.Reader in) {
    Ratchet ratchet = new Ratchet();
    ratchet.rootKey = in.key();
    if (in.bool()) {
      ratchet.senderChain = new SenderChain(Curve25519KeyPair.fromSecret(in.key()), new ChainKey(in.key(), in.number()));
    }
    int chains = in.integer();
    if (chains < 0 || chains > MAX_RECEIVER_CHAINS) {
      throw new CryptoException(Reason.BAD_INPUT, "saved session has too many receiver chains");
    }
    for (int i = 0; i < chains; i++) {
      ratchet.receiverChains.addLast(new ReceiverChain(in.key(), new ChainKey(in.key(), in.number())));
    }
    int skipped = in.integer();
    if (skipped < 0 || skipped > MAX_SKIPPED_MESSAGE_KEYS) {
      throw new CryptoException(Reason.BAD_INPUT, "saved session has too many skipped keys");
    }
    for (int i = 0; i < skipped; i++) {
      ratchet.skippedKeys.addLast(new SkippedKey(in.key(), in.number(), in.key()));
    }
    return ratchet;
  }

  @Override
  public String toString() {
    return "Ratchet[receiverChains=" + receiverChains.size() + ", skippedKeys=" + skippedKeys.size() + "]";
  }
}
