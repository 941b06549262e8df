package be.praatbrug.bridge.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallWidgetStateTest {

  private static final WidgetSection CONFIG = new WidgetSection("https://praatbrug.caw.example",
      "https://matrix.caw.example", List.of(), false);

  @Test
  void addsTheWidgetAndPinsItToTheTop() {
    List<CallWidgetState.StateEvent> events = CallWidgetState.forRoom(CONFIG, "@praatbrug:caw.test");

    assertEquals(2, events.size());
    CallWidgetState.StateEvent widget = events.get(0);
    assertEquals("im.vector.modular.widgets", widget.type());
    assertEquals("praatbrug_call", widget.stateKey());
    assertEquals("praatbrug_call", widget.content().getString("id"));
    assertEquals("@praatbrug:caw.test", widget.content().getString("creatorUserId"));
    assertEquals("Videogesprek", widget.content().getString("name"));
    CallWidgetState.StateEvent layout = events.get(1);
    assertEquals("io.element.widgets.layout", layout.type());
    assertEquals("", layout.stateKey());
    assertEquals("top", layout.content().getJsonObject("widgets").getJsonObject("praatbrug_call")
        .getString("container"));
  }

  @Test
  void pointsAtTheServedPageWithElementsTemplateVariables() {
    String url = CallWidgetState.widgetUrl(CONFIG);

    assertEquals("https://praatbrug.caw.example/widget/call/?roomId=$matrix_room_id"
        + "&userId=$matrix_user_id&displayName=$matrix_display_name"
        + "&lang=$org.matrix.msc2873.client_language", url);
    assertTrue(url.startsWith(CONFIG.publicUrl() + WidgetRoutes.PREFIX));
  }

  @Test
  void asksForRelayOnlyWhenConfigured() {
    WidgetSection relayOnly = new WidgetSection("https://p.example", "https://m.example", List.of(), true);

    assertTrue(CallWidgetState.widgetUrl(relayOnly).endsWith("&relayOnly=true"));
    assertFalse(CallWidgetState.widgetUrl(CONFIG).contains("relayOnly"));
  }

  @Test
  void isAPureFunctionOfTheConfigSoDriftCanBeDetected() {
    assertEquals(CallWidgetState.forRoom(CONFIG, "@praatbrug:caw.test"),
        CallWidgetState.forRoom(CONFIG, "@praatbrug:caw.test"));
  }

  @Test
  void removesWithAnEmptyContentAndRecognisesItsOwnEvent() {
    assertEquals(new JsonObject(), CallWidgetState.removal().content());
    assertTrue(CallWidgetState.isOurs("im.vector.modular.widgets", "praatbrug_call"));
    assertFalse(CallWidgetState.isOurs("im.vector.modular.widgets", "someone_elses"));
    assertFalse(CallWidgetState.isOurs("m.room.name", "praatbrug_call"));
  }
}
