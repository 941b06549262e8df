package be.praatbrug.bridge.ledger;

import java.util.regex.Pattern;

/**
 * Rules for pseudonymous client references.
 *
 * <p>A client reference is the only client identifier the ledger keeps in clear, so it must not be
 * a name, an e-mail address or a Matrix id: the character set below excludes {@code @} and spaces,
 * which rules out the most common mistakes. Who a reference stands for is known only to the
 * counsellor's own client file, outside Praatbrug.
 */
public final class ClientRefs {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:=-]{1,128}");

  private ClientRefs() {}

  /**
   * The reference Praatbrug gave a Matrix user before client records existed: a keyed hash of the
   * user id under the bridge's room secret. New clients get a record of the bridge's own making
   * ({@code C-7K3P-9Q2M}, see {@code ClientRecords}); this only finds an account's old reference
   * again, so it keeps that reference and the consent recorded under it.
   */
  public static String of(byte[] key, String clientUserId) {
    // The same keyed hash as knock codes, with a distinct prefix so the two can never collide.
    return "cl-" + be.praatbrug.policy.rooms.KnockCode.hash(key, "CLIENTREF" + clientUserId).substring(0, 16);
  }

  public static boolean isValid(String clientRef) {
    return clientRef != null && VALID.matcher(clientRef).matches();
  }
}
