package be.praatbrug.policy.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadAttributionTest {

  private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");

  private static StoredFile upload(String id, long secondsBefore) {
    return new StoredFile(id, SENT.minusMillis(secondsBefore * 1000), 100);
  }

  private static List<String> carried(Instant previous, int references, StoredFile... uploads) {
    return UploadAttribution.carriedBy(SENT, previous, references, List.of(uploads)).stream()
        .map(StoredFile::mediaId).toList();
  }

  @Test
  void anImageMessageCarriesItsImageAndTheThumbnailBeforeItOldestFirst() {
    assertEquals(List.of("thumbnail", "image"),
        carried(null, 2, upload("image", 1), upload("thumbnail", 40), upload("old", 61)));
  }

  @Test
  void aOneFileMessageCarriesOnlyTheNewestUploadNotAFileSharedElsewhereJustBefore() {
    assertEquals(List.of("letter"), carried(null, 1, upload("letter", 1), upload("shared-in-a-staff-room", 20)));
  }

  @Test
  void aMessageWhoseNewestUploadIsHalfAMinuteOldCarriesNothing() {
    // a long text after a file shared elsewhere: the file is not this message's
    assertEquals(List.of(), carried(null, 2, upload("shared-in-a-staff-room", 31)));
    assertEquals(List.of("just-in-time"), carried(null, 1, upload("just-in-time", 30)));
  }

  @Test
  void uploadsBeforeTheSendersPreviousMessageBelongToThatOne() {
    assertEquals(List.of("this"), carried(SENT.minusSeconds(5), 2, upload("this", 2), upload("earlier", 8)));
    // stored at the very moment of the previous message: that message carried it
    assertEquals(List.of(), carried(SENT.minusSeconds(2), 1, upload("this", 2)));
  }

  @Test
  void anUploadStoredAfterTheMessageBelongsToALaterOne() {
    assertEquals(List.of("same-ms"), carried(null, 1, new StoredFile("next", SENT.plusMillis(1), 5), upload("same-ms", 0)));
  }

  @Test
  void aPreviousMessageLongAgoLeavesTheWindowAsTheBound() {
    assertEquals(List.of("thumbnail", "image"),
        carried(SENT.minusSeconds(3600), 2, upload("image", 5), upload("thumbnail", 59), upload("out", 60)));
  }

  @Test
  void aMessageThatCanHoldNoFileCarriesNone() {
    assertEquals(List.of(), carried(null, 0, upload("letter", 1)));
    assertEquals(List.of(), carried(null, 1));
  }

  @Test
  void theCiphertextsLengthSaysHowManyFilesAnEncryptedMessageCanReference() {
    assertEquals(0, UploadAttribution.fileReferences("m.room.encrypted", -1));
    assertEquals(0, UploadAttribution.fileReferences("m.room.encrypted", UploadAttribution.SMALLEST_FILE_CIPHERTEXT - 1));
    assertEquals(1, UploadAttribution.fileReferences("m.room.encrypted", UploadAttribution.SMALLEST_FILE_CIPHERTEXT));
    assertEquals(1, UploadAttribution.fileReferences("m.room.encrypted", UploadAttribution.SMALLEST_TWO_FILE_CIPHERTEXT - 1));
    assertEquals(2, UploadAttribution.fileReferences("m.room.encrypted", UploadAttribution.SMALLEST_TWO_FILE_CIPHERTEXT));
    assertEquals(0, UploadAttribution.fileReferences("m.room.message", -1), "unencrypted: size says nothing");
    assertEquals(0, UploadAttribution.fileReferences("m.sticker", -1), "a sticker reuses an old upload");
    assertEquals(0, UploadAttribution.fileReferences("m.reaction", -1));
    assertEquals(0, UploadAttribution.fileReferences("m.room.member", -1));
  }
}
