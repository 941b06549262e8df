package be.praatbrug.policy.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadAttributionTest {

  private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");

  private static StoredFile upload(String id, long secondsBefore) {
    return new StoredFile(id, SENT.minusMillis(secondsBefore * 1000), 100);
  }

  private static List<String> ids(List<StoredFile> files) {
    return files.stream().map(StoredFile::mediaId).toList();
  }

  @Test
  void aMessageCarriesTheUploadsOfTheMinuteBeforeItOldestFirst() {
    List<StoredFile> uploads = List.of(upload("file", 1), upload("thumbnail", 40), upload("old", 61));
    assertEquals(List.of("thumbnail", "file"), ids(UploadAttribution.carriedBy(SENT, null, uploads)));
  }

  @Test
  void uploadsBeforeTheSendersPreviousMessageBelongToThatOne() {
    List<StoredFile> uploads = List.of(upload("this", 2), upload("earlier", 8));
    assertEquals(List.of("this"), ids(UploadAttribution.carriedBy(SENT, SENT.minusSeconds(5), uploads)));
    // stored at the very moment of the previous message: that message carried it
    assertEquals(List.of(), ids(UploadAttribution.carriedBy(SENT, SENT.minusSeconds(2), uploads.subList(0, 1))));
  }

  @Test
  void anUploadStoredAfterTheMessageBelongsToALaterOne() {
    List<StoredFile> uploads = List.of(new StoredFile("next", SENT.plusMillis(1), 5), upload("same-ms", 0));
    assertEquals(List.of("same-ms"), ids(UploadAttribution.carriedBy(SENT, null, uploads)));
  }

  @Test
  void aPreviousMessageLongAgoLeavesTheWindowAsTheBound() {
    List<StoredFile> uploads = List.of(upload("in", 59), upload("out", 60));
    assertEquals(List.of("in"), ids(UploadAttribution.carriedBy(SENT, SENT.minusSeconds(3600), uploads)));
  }

  @Test
  void onlyAnEncryptedEventLongEnoughForAFileReferenceCanCarryOne() {
    assertTrue(UploadAttribution.canCarryFile("m.room.encrypted", 595));
    assertTrue(UploadAttribution.canCarryFile("m.room.encrypted", UploadAttribution.SMALLEST_FILE_CIPHERTEXT));
    assertFalse(UploadAttribution.canCarryFile("m.room.encrypted", UploadAttribution.SMALLEST_FILE_CIPHERTEXT - 1));
    assertFalse(UploadAttribution.canCarryFile("m.room.encrypted", -1));
    assertTrue(UploadAttribution.canCarryFile("m.room.message", -1));
    assertTrue(UploadAttribution.canCarryFile("m.sticker", -1));
    assertFalse(UploadAttribution.canCarryFile("m.reaction", -1));
    assertFalse(UploadAttribution.canCarryFile("m.room.member", -1));
  }
}
