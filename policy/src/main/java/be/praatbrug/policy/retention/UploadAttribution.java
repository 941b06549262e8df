package be.praatbrug.policy.retention;

import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Which uploads a message carried, from metadata only: for files sent from clients that do not
 * register them with the bridge (Element and other Matrix clients), where the only other link
 * between file and room is inside the encrypted event.
 *
 * <p>A client stores a message's files on the homeserver just before it sends the message (an
 * image's thumbnail first, then the image), and Synapse stamps an upload when it is stored. So a
 * message carries its sender's newest upload if that was stored after the sender's previous
 * message and at most {@link #FILE_WITHIN} before this one, and, when the message is big enough to
 * reference two files, also the upload before that (within {@link #WINDOW}). The event is never
 * decrypted; its size only says how many file references it can hold (an encrypted file's key,
 * iv, hash and address need room).
 */
public final class UploadAttribution {

  /** Longest time between a message's file being stored and the message. */
  public static final Duration FILE_WITHIN = Duration.ofSeconds(30);

  /** Longest time between a message's first upload (a thumbnail, then a large image) and the message. */
  public static final Duration WINDOW = Duration.ofSeconds(60);

  /**
   * The fewest base64 characters of the Megolm ciphertext of a message that references one
   * encrypted file. Measured with libolm: the shortest possible file message (one-letter name, no
   * info, shortest room id and server) is 595; an Element file message 720 and more; a text message
   * reaches 560 only past about 220 characters.
   */
  public static final int SMALLEST_FILE_CIPHERTEXT = 560;

  /**
   * The fewest ciphertext characters of a message that references two encrypted files (an image
   * and its thumbnail): 958 for the shortest possible one, about 1,320 for Element's. A one-file
   * message reaches it only with a name or caption of about 150 characters.
   */
  public static final int SMALLEST_TWO_FILE_CIPHERTEXT = 950;

  private UploadAttribution() {}

  /**
   * How many uploaded files an event of {@code type} can reference, from the length of an
   * encrypted event's ciphertext. Only encrypted events: an unencrypted message's size says nothing
   * (its file reference is in the clear, and the bridge does not read content), and a sticker
   * reuses a file uploaded long before.
   *
   * @param ciphertextLength characters of {@code content.ciphertext}, or -1 when there is none
   */
  public static int fileReferences(String type, int ciphertextLength) {
    if (!"m.room.encrypted".equals(type)) {
      return 0;
    }
    return ciphertextLength >= SMALLEST_TWO_FILE_CIPHERTEXT ? 2 : ciphertextLength >= SMALLEST_FILE_CIPHERTEXT ? 1 : 0;
  }

  /**
   * The uploads a message sent at {@code messageAt} carried, oldest first.
   *
   * @param previousMessageAt the sender's previous message in any room the bridge watches, or
   *     {@code null} when unknown (then only the window bounds it)
   * @param references how many files the message can reference ({@link #fileReferences})
   * @param uploads the sender's newest uploads, in any order
   */
  public static List<StoredFile> carriedBy(Instant messageAt, Instant previousMessageAt,
      int references, List<StoredFile> uploads) {
    Instant after = messageAt.minus(WINDOW);
    if (previousMessageAt != null && previousMessageAt.isAfter(after)) {
      after = previousMessageAt;
    }
    Instant notBefore = after;
    List<StoredFile> newestFirst = uploads.stream()
        .filter(upload -> upload.uploadedAt().isAfter(notBefore) && !upload.uploadedAt().isAfter(messageAt))
        .sorted(Comparator.comparing(StoredFile::uploadedAt).reversed())
        .toList();
    if (newestFirst.isEmpty() || references <= 0
        || newestFirst.get(0).uploadedAt().isBefore(messageAt.minus(FILE_WITHIN))) {
      return List.of();
    }
    List<StoredFile> carried = new ArrayList<>(newestFirst.subList(0, Math.min(references, newestFirst.size())));
    Collections.reverse(carried);
    return carried;
  }
}
