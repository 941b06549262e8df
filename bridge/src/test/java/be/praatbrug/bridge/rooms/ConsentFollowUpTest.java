package be.praatbrug.bridge.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConsentFollowUpTest {

  private static JsonObject member(String userId, String membership, String reason) {
    JsonObject content = new JsonObject().put("membership", membership);
    if (reason != null) {
      content.put("reason", reason);
    }
    return new JsonObject().put("type", "m.room.member").put("state_key", userId).put("content", content);
  }

  @Test
  void readsTheCodeOfAWaitingKnockBackFromTheRoomState() {
    JsonArray state = new JsonArray().add(new JsonObject().put("type", "m.room.join_rules")
            .put("state_key", "").put("content", new JsonObject().put("join_rule", "knock")))
        .add(member("@other:caw.test", "knock", "AAAA-BBBB"))
        .add(member("@client:caw.test", "knock", "KX7P-3MQ9"));

    assertEquals("KX7P-3MQ9", ConsentFollowUp.knockReason(state, "@client:caw.test"));
    assertNull(ConsentFollowUp.knockReason(state, "@nobody:caw.test"));
    assertNull(ConsentFollowUp.knockReason(new JsonArray().add(member("@client:caw.test", "leave", "x")),
        "@client:caw.test"), "only a knock that still waits");
  }

  @Test
  void theCounsellorHearsWhichRecordASessionIsUnder() {
    String first = RoomLifecycle.recordNotice("rustige-groene-boot", "C-7K3P-9Q2M", 1);
    String third = RoomLifecycle.recordNotice("rustige-groene-boot", "C-7K3P-9Q2M", 3);

    assertTrue(first.contains("cliëntdossier C-7K3P-9Q2M (eerste gesprek)")
        && first.contains("!gesprek nieuw voor C-7K3P-9Q2M") && first.contains("!session new for"), first);
    assertTrue(third.contains("(gesprek 3)") && third.contains("(session 3)"), third);
  }
}
