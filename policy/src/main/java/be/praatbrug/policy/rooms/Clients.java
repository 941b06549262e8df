package be.praatbrug.policy.rooms;

import java.util.Set;

/**
 * How Praatbrug tells a client from a professional, where the difference matters: overleg rooms
 * keep clients out, and a warm referral only ever brings in a professional.
 *
 * <p>A user counts as a client if their localpart starts with {@code guestLocalpartPrefix} (the
 * accounts Praatbrug makes for clients without their own Matrix account, on any partner server,
 * since every bridge uses the same default prefix), or if they are the client of an open
 * counselling room of this bridge. Everyone else from an allowed server is taken to be a
 * professional: clients with an ordinary account on a partner server, who are in no session here,
 * cannot be recognised, so overleg rooms also keep their own invite-only rule.
 *
 * @param inSession clients of this bridge's open counselling rooms
 */
public record Clients(String guestLocalpartPrefix, Set<String> inSession) {

  /** Recognises nobody: for decisions where it does not matter. */
  public static final Clients NONE = new Clients("\u0000", Set.of());

  public Clients {
    inSession = Set.copyOf(inSession);
  }

  /** An account Praatbrug made for a client who came through a link (they consent on the page). */
  public boolean isGuestAccount(String userId) {
    return userId.startsWith("@" + guestLocalpartPrefix);
  }

  public boolean recognises(String userId) {
    return userId.startsWith("@" + guestLocalpartPrefix) || inSession.contains(userId);
  }
}
