package be.praatbrug.policy.rooms;

import java.time.Instant;
import java.util.Objects;

/**
 * A warm referral in progress: {@code partnerId}, a professional of an allowed server, may be in
 * the room beside counsellor and client until {@code until}, so the referring counsellor can hand
 * the client over in person.
 *
 * <p>The handover ends when the referring counsellor leaves (the partner becomes the room's
 * counsellor) or when the window closes (the partner is removed); either way the room is
 * one-to-one again and the exception to the member limit is gone.
 */
public record Handover(String referrerId, String partnerId, Instant until) {

  public Handover {
    Objects.requireNonNull(referrerId, "referrerId");
    Objects.requireNonNull(partnerId, "partnerId");
    Objects.requireNonNull(until, "until");
  }

  public boolean isActiveAt(Instant now) {
    return now.isBefore(until);
  }
}
