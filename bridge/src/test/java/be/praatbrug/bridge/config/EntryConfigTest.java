package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client page's appearance on a shared phone: neutral by default, the organisation's choice. */
class EntryConfigTest {

  @TempDir Path directory;

  private BridgeConfig load(String entry) throws Exception {
    return MinimalConfig.load(directory, entry);
  }

  @Test
  void isNeutralUnlessTheOrganisationSaysOtherwise() throws Exception {
    BridgeConfig.EntrySection entry = load("").entry();
    assertEquals("Chat", entry.appName());
    assertEquals("https://www.google.be/", entry.exitUrl());
    BridgeConfig.EntrySection own = load("""
        entry:
          app_name: Praat
          exit_url: https://www.meteo.be/nl/brussel
        """).entry();
    assertEquals("Praat", own.appName());
    assertEquals("https://www.meteo.be/nl/brussel", own.exitUrl());
  }

  @Test
  void refusesAMarkedUpNameAndAnExitThatIsNoSite() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        entry:
          app_name: "<b>CAW</b>"
          exit_url: "javascript:alert(1)"
        """));
    assertTrue(e.getMessage().contains("entry.app_name"), e.getMessage());
    assertTrue(e.getMessage().contains("entry.exit_url"), e.getMessage());
  }
}
