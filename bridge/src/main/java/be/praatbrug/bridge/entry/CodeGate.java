package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.entry.EntryCodes.Lookup;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * What a code from the client page must pass before it is looked up, by its form:
 *
 * <ul>
 *   <li>a link's secret (≥ 128 bits) cannot be guessed, so it is never limited: a valid link opens
 *       whatever others at the same address did;
 *   <li>a code typed by hand (8 characters, about 40 bits) takes one attempt of its address's
 *       limit before the lookup starts (given back when the code was valid), and waits its turn
 *       while the bridge-wide budget of wrong codes is spent ({@link GuessPacer});
 *   <li>anything else is no code at all: not looked up, but counted like a typed attempt.
 * </ul>
 */
final class CodeGate {

  /** The address used up its attempts, or everyone's guesses are queued too long. */
  static final class Refused extends Exception {
    private final Duration retryAfter;

    Refused(Duration retryAfter) {
      super("too many attempts", null, false, false);
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }

  private final EntryCodes codes;
  private final AttemptThrottle perAddress;
  private final GuessPacer everyone;

  CodeGate(EntryCodes codes, AttemptThrottle perAddress, GuessPacer everyone) {
    this.codes = codes;
    this.perAddress = perAddress;
    this.everyone = everyone;
  }

  /** Looks {@code typed} up for the client at {@code limitKey}; fails with {@link Refused}. */
  Future<Lookup> look(String typed, String limitKey) {
    return switch (EntryCodes.formOf(typed)) {
      case LINK -> codes.look(typed);
      case NONE -> mistyped(limitKey);
      case CODE -> typedByHand(typed, limitKey);
    };
  }

  /** Neither form: nothing to look up, but it counts as a typed attempt of its address. */
  private Future<Lookup> mistyped(String limitKey) {
    Duration wait = perAddress.tryTake(limitKey);
    return wait.isZero() ? Future.succeededFuture(Lookup.of(EntryCodes.Status.UNKNOWN))
        : Future.failedFuture(new Refused(wait));
  }

  private Future<Lookup> typedByHand(String typed, String limitKey) {
    Duration wait = perAddress.tryTake(limitKey);
    if (!wait.isZero()) {
      return Future.failedFuture(new Refused(wait));
    }
    return everyone.turn()
        .recover(busy -> {
          perAddress.giveBack(limitKey);
          return Future.failedFuture(busy instanceof GuessPacer.Busy queued
              ? new Refused(queued.retryAfter()) : busy);
        })
        .compose(go -> codes.look(typed))
        .map(lookup -> {
          // A real code that is too early is no guess: the client comes back at the hour.
          if (lookup.valid() || lookup.status() == EntryCodes.Status.NOT_YET) {
            perAddress.giveBack(limitKey);
          } else {
            everyone.recordWrong();
          }
          return lookup;
        });
  }
}
