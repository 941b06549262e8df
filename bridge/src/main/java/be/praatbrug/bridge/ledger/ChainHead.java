package be.praatbrug.bridge.ledger;

import java.nio.charset.StandardCharsets;

/**
 * The signed statement "the ledger has {@code position} entries and the last one hashes to
 * {@code hash}", rewritten with every append.
 *
 * <p>Why: hashes chain each entry to the one before, so removing an entry from the middle breaks
 * the chain, but removing entries from the end leaves a shorter chain that is still whole. The
 * signed head catches that. It cannot catch a head rolled back together with the entries to an
 * older signed state; exports carry the head so an inspector can compare it with a later one.
 */
public record ChainHead(long position, String hash, String signature) {

  /** The bytes the head signature covers. */
  public static byte[] message(long position, String hash) {
    return ("praatbrug-ledger-head/1\n" + position + "\n" + hash).getBytes(StandardCharsets.UTF_8);
  }

  public static ChainHead sign(OrgKeys keys, long position, String hash) {
    return new ChainHead(position, hash, keys.sign(message(position, hash)));
  }

  public boolean verifies(OrgPublicKey key) {
    return key.verifies(message(position, hash), signature);
  }
}
