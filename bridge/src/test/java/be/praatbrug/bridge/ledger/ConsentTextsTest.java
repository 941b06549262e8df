package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsentTextsTest {

  /** The texts shipped in policy/consent (tests run in bridge/). */
  private static final Path SHIPPED = Path.of("../policy/consent");

  /** What an informed consent must tell, per language: one phrase that shows each topic. */
  private static final List<String> DUTCH_TOPICS = List.of("wat is praatbrug", "nooit op",
      "wat bewaren we wel, en hoe lang", "30 dagen", "jonger dan 12 jaar", "ouder of voogd",
      "kopie", "verbeteren", "wissen", "intrekken", "72 uur", "vragen of klachten",
      "privacyverklaring");
  private static final List<String> ENGLISH_TOPICS = List.of("what is praatbrug", "never record",
      "what we do keep, and for how long", "30 days", "under 12", "parent or guardian", "copy",
      "correct", "erase", "withdraw", "72 hours", "questions or complaints", "privacy statement");

  @TempDir Path directory;

  @Test
  void bothOrganisationsShipVersionOneInDutchAndEnglish() throws Exception {
    ConsentTexts texts = ConsentTexts.load(SHIPPED);

    for (String organisation : List.of("caw", "clb")) {
      for (String language : List.of("nl", "en")) {
        ConsentText text = texts.current(organisation, language).orElseThrow(
            () -> new AssertionError("no " + organisation + " text in " + language));
        assertEquals("v1", text.version());
        assertEquals(Sha256.hex(Files.readAllBytes(SHIPPED.resolve(text.path()))), text.sha256());
      }
    }
  }

  @Test
  void everyShippedTextCoversWhatInformedConsentNeeds() throws Exception {
    for (ConsentText text : ConsentTexts.load(SHIPPED).all()) {
      String lower = text.text().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
      List<String> topics = text.language().equals("nl") ? DUTCH_TOPICS : ENGLISH_TOPICS;
      for (String topic : topics) {
        assertTrue(lower.contains(topic), text.path() + " does not mention \"" + topic + "\"");
      }
    }
  }

  @Test
  void theCurrentVersionIsTheHighestNumberNotTheLastInAlphabet() throws Exception {
    Path caw = Files.createDirectories(directory.resolve("caw"));
    for (String version : List.of("v1", "v2", "v10")) {
      Files.writeString(caw.resolve(version + ".nl.md"), version);
    }
    Files.writeString(caw.resolve("notes.txt"), "not a consent text");

    ConsentTexts texts = ConsentTexts.load(directory);

    assertEquals("v10", texts.current("caw", "nl").orElseThrow().version());
    assertEquals(3, texts.all().size());
    assertTrue(texts.current("caw", "en").isEmpty());
  }

  @Test
  void aMissingDirectoryGivesNoTextsRatherThanFailingStartup() throws Exception {
    assertTrue(ConsentTexts.load(directory.resolve("absent")).all().isEmpty());
  }
}
