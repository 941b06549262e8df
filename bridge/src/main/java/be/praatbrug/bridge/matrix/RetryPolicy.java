package be.praatbrug.bridge.matrix;

import java.time.Duration;

/**
 * When and how long to wait before retrying a homeserver call.
 *
 * <p>Retried: rate limits (429, honouring {@code retry_after_ms}), server errors (5xx) and
 * connection failures, which are all transient. Never retried: other 4xx, because repeating a
 * request the homeserver rejected cannot succeed.
 *
 * @param maxAttempts total attempts including the first, at least 1
 * @param initialBackoff wait before the second attempt; doubled each time
 * @param maxBackoff upper bound for one wait (also for {@code retry_after_ms})
 * @param retriesAfterTimeout whether a request that timed out is sent again (it already waited long)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
    boolean retriesAfterTimeout) {

  /** For event handling: a few seconds of patience, so a transaction is not held for long. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(5));

  /** For the startup check: fail fast with a clear reason instead of hanging. */
  public static final RetryPolicy STARTUP =
      new RetryPolicy(3, Duration.ofMillis(300), Duration.ofSeconds(2));

  /**
   * For the bot's encryption device: to-device data arrives once, so a key upload or key share
   * lost to a closed connection is sent again; after a timeout it is not, so the device data
   * queued behind it does not wait twice.
   */
  public static final RetryPolicy DEVICE =
      new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5), false);

  public RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this(maxAttempts, initialBackoff, maxBackoff, true);
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts < 1: " + maxAttempts);
    }
  }

  /** The wait before attempt {@code attempt + 1}, given the attempt just failed (1-based). */
  public long backoffMillis(int attempt, long retryAfterMillis) {
    long exponential = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    long wait = retryAfterMillis > 0 ? retryAfterMillis : exponential;
    return Math.min(wait, maxBackoff.toMillis());
  }

  public static boolean isRetryableStatus(int httpStatus) {
    return httpStatus == 429 || httpStatus >= 500;
  }
}
