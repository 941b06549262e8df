package be.praatbrug.policy.retention;

import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which uploads a message carried, from metadata only: for files sent from clients that do not
 * register them with the bridge (Element and other Matrix clients), where the only other link
 * between file and room is inside the encrypted event.
 *
 * <p>A client stores a message's files on the homeserver just before it sends the message (an
 * image's thumbnail first, then the file), and Synapse stamps an upload when it is stored. So a
 * message carries its sender's uploads stored after the sender's previous message and at most
 * {@link #WINDOW} before this one. The event is never decrypted; its size only says whether it can
 * hold a file reference at all (an encrypted file key, iv, hash and address need room).
 */
public final class UploadAttribution {

  /** Longest time between a message's first upload (a thumbnail, then a large file) and the message. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  /**
   * The fewest base64 characters of the Megolm ciphertext of a message that references one
   * encrypted file. Measured with libolm: the shortest possible file message (one-letter name, no
   * info, shortest room id and server) is 595; an Element file message 720 and more; a text message
   * reaches 560 only past about 220 characters.
   */
  public static final int SMALLEST_FILE_CIPHERTEXT = 560;

  private UploadAttribution() {}

  /**
   * Whether an event of {@code type} can carry a file: an encrypted one only if its ciphertext is
   * long enough; unencrypted messages and stickers always may.
   *
   * @param ciphertextLength characters of {@code content.ciphertext}, or -1 when there is none
   */
  public static boolean canCarryFile(String type, int ciphertextLength) {
    return switch (type) {
      case "m.room.encrypted" -> ciphertextLength >= SMALLEST_FILE_CIPHERTEXT;
      case "m.room.message", "m.sticker" -> true;
      default -> false;
    };
  }

  /**
   * The uploads a message sent at {@code messageAt} carried.
   *
   * @param previousMessageAt the sender's previous message in any room the bridge watches, or
   *     {@code null} when unknown (then only the window bounds it)
   * @param uploads the sender's newest uploads, in any order
   */
  public static List<StoredFile> carriedBy(Instant messageAt, Instant previousMessageAt,
      List<StoredFile> uploads) {
    Instant after = messageAt.minus(WINDOW);
    if (previousMessageAt != null && previousMessageAt.isAfter(after)) {
      after = previousMessageAt;
    }
    Instant notBefore = after;
    return uploads.stream()
        .filter(upload -> upload.uploadedAt().isAfter(notBefore) && !upload.uploadedAt().isAfter(messageAt))
        .sorted(java.util.Comparator.comparing(StoredFile::uploadedAt))
        .toList();
  }
}
