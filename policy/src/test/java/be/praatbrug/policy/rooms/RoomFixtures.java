package be.praatbrug.policy.rooms;

import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A CAW-like policy, a room that meets it, and event builders, shared by the room tests. */
final class RoomFixtures {

  static final String BOT = "@praatbrug:caw.test";
  static final String COUNSELLOR = "@counsellor:caw.test";
  static final String CLIENT = "@client:caw.test";
  static final String STRANGER = "@stranger:caw.test";
  static final String ROOM = "!room:caw.test";
  static final String CONTROL = "!dm:caw.test";
  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final byte[] KEY = "test-key-test-key-test-key-32byt".getBytes();
  static final String CODE = "KX7P3MQ9";

  static final Policy POLICY = new Policy("caw", "caw", "nl-BE", 2, "knock", true, "joined",
      "forbidden", Policy.PowerLevels.DEFAULT, Duration.ofDays(30), List.of("caw.test", "clb.test"),
      true, true, true, Duration.ofHours(24), true);

  /** The client has consented; nobody else has. */
  static final PolicyContext CONTEXT =
      new PolicyContext(new BotContext(BOT, "caw.test"), POLICY, KEY, java.util.Set.of(CLIENT));

  private RoomFixtures() {}

  /** Bot and counsellor joined, state exactly as the policy wants, one valid single-use code. */
  static RoomSnapshot room() {
    Map<String, Map<String, Object>> state = new HashMap<>();
    ExpectedRoomState.of(POLICY, BOT, COUNSELLOR, true)
        .forEach((type, content) -> state.put(RoomSnapshot.stateKey(type, ""), content));
    return new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL, null, true,
        Map.of(BOT, "join", COUNSELLOR, "join"), state,
        List.of(new KnockCode(KnockCode.hash(KEY, CODE), NOW.plus(Duration.ofHours(1)), true)), NOW);
  }

  static MatrixEvent member(String sender, String target, String membership) {
    return member(sender, target, membership, null);
  }

  static MatrixEvent member(String sender, String target, String membership, String reason) {
    Map<String, Object> content = new HashMap<>();
    content.put("membership", membership);
    if (reason != null) {
      content.put("reason", reason);
    }
    return new MatrixEvent(ROOM, "$m", sender, "m.room.member", target, content);
  }

  static MatrixEvent state(String sender, String type, Map<String, Object> content) {
    return new MatrixEvent(ROOM, "$s", sender, type, "", content);
  }
}
