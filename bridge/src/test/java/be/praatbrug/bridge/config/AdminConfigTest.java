package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin section: who may administer, and the floor, with clear errors. */
class AdminConfigTest {

  @TempDir Path directory;

  private BridgeConfig load(String admin) throws Exception {
    return MinimalConfig.load(directory, admin);
  }

  @Test
  void withoutAnAdminSectionNobodyIsAnAdminAndTheFloorIsStrict() throws Exception {
    BridgeConfig.AdminSection admin = load("").admin();
    assertEquals(List.of(), admin.users());
    assertEquals(15, admin.sessionMinutes());
    assertEquals("http://127.0.0.2:8008", admin.openidUrl());
    assertEquals(new BridgeConfig.AdminSection.Floor(2, Duration.ofDays(365), true, true, true),
        admin.floor());
  }

  @Test
  void readsAdminsAndALooserFloor() throws Exception {
    BridgeConfig.AdminSection admin = load("""
        admin:
          users: "@beheerder:caw.test @tweede:caw.test"
          session_minutes: 5
          floor_max_retention: 400d
          floor_knock_required: false
        """).admin();
    assertEquals(List.of("@beheerder:caw.test", "@tweede:caw.test"), admin.users());
    assertEquals(5, admin.sessionMinutes());
    assertEquals(Duration.ofDays(400), admin.floor().maxRetention());
    assertEquals(false, admin.floor().knockRequired());
  }

  @Test
  void refusesAdminsOfOtherServersAndABadFloor() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        admin:
          users: "@beheerder:clb.test"
          floor_max_retention: een jaar
          floor_max_humans: 1
        """));
    String problems = String.join("\n", e.problems());
    assertTrue(problems.contains("admin.users") && problems.contains("@beheerder:clb.test"), problems);
    assertTrue(problems.contains("admin.floor_max_retention"), problems);
    assertTrue(problems.contains("admin.floor_max_humans"), problems);
  }
}
