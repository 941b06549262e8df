package be.praatbrug.bridge.rooms;

import be.praatbrug.policy.rooms.KnockCode;

/**
 * Pseudonymous client references for records: stable per client, meaningless without the bridge's
 * secret, so session records and exports never carry a Matrix id.
 */
public final class ClientRefs {

  private ClientRefs() {}

  public static String of(byte[] key, String clientUserId) {
    // The same keyed hash as knock codes, with a distinct prefix so the two can never collide.
    return "cl-" + KnockCode.hash(key, "CLIENTREF" + clientUserId).substring(0, 16);
  }
}
