package be.praatbrug.bridge.widget;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The room state that puts the call widget into a counselling room: what to send, not how.
 *
 * <p>Use it from the rooms code like this:
 *
 * <pre>{@code
 * for (CallWidgetState.StateEvent event : CallWidgetState.forRoom(config.widget(), botUserId)) {
 *   matrix.sendState(roomId, event.type(), event.stateKey(), event.content());
 * }
 * }</pre>
 *
 * <p>Two state events, both sent by the bot (which needs the power to send state):
 * <ol>
 *   <li>{@value #WIDGET_EVENT_TYPE} with state key {@value #WIDGET_ID}: the widget itself. Element
 *       fills the URL's {@code $matrix_*} variables and adds {@code widgetId} and {@code parentUrl};
 *       it asks each user once before loading a widget someone else added.</li>
 *   <li>{@value #LAYOUT_EVENT_TYPE} with the empty state key: pins the widget to the top of the room,
 *       so nobody has to find it in the room info.</li>
 * </ol>
 *
 * <p>Keeping it under policy: the content is a pure function of the config, so the rooms code can
 * compare a room's current state with {@link #forRoom} and send it again when someone changed or
 * removed it ({@link #isOurs} tells which widget events concern us). To turn calls off in a room,
 * send {@link #removal()}: an empty content removes a widget.
 *
 * <p>There is no room id in the content on purpose: the same widget serves every room, and Element
 * passes the room it runs in.
 */
public final class CallWidgetState {

  public static final String WIDGET_EVENT_TYPE = "im.vector.modular.widgets";
  public static final String LAYOUT_EVENT_TYPE = "io.element.widgets.layout";
  public static final String WIDGET_ID = "praatbrug_call";
  /** What Element shows as the widget's title; Dutch first, like the widget. */
  public static final String WIDGET_NAME = "Videogesprek";

  /** One state event to send: {@code PUT /rooms/{roomId}/state/{type}/{stateKey}}. */
  public record StateEvent(String type, String stateKey, JsonObject content) {}

  private CallWidgetState() {}

  /** The widget and layout events for a counselling room whose policy allows calls. */
  public static List<StateEvent> forRoom(WidgetSection widget, String creatorUserId) {
    return List.of(
        new StateEvent(WIDGET_EVENT_TYPE, WIDGET_ID, widgetContent(widget, creatorUserId)),
        new StateEvent(LAYOUT_EVENT_TYPE, "", layoutContent()));
  }

  /** The event that removes the widget from a room (calls switched off by policy). */
  public static StateEvent removal() {
    return new StateEvent(WIDGET_EVENT_TYPE, WIDGET_ID, new JsonObject());
  }

  /** True for the state event this class manages, whatever its current content. */
  public static boolean isOurs(String type, String stateKey) {
    return WIDGET_EVENT_TYPE.equals(type) && WIDGET_ID.equals(stateKey);
  }

  /**
   * The widget URL with Element's template variables. The widget reads the user id and display
   * name only to show names under the videos, and the client language to pick Dutch or English.
   */
  public static String widgetUrl(WidgetSection widget) {
    return widget.publicUrl() + WidgetRoutes.PREFIX
        + "?roomId=$matrix_room_id"
        + "&userId=$matrix_user_id"
        + "&displayName=$matrix_display_name"
        + "&lang=$org.matrix.msc2873.client_language"
        + (widget.relayOnly() ? "&relayOnly=true" : "");
  }

  static JsonObject widgetContent(WidgetSection widget, String creatorUserId) {
    return new JsonObject()
        .put("type", "m.custom")
        .put("url", widgetUrl(widget))
        .put("name", WIDGET_NAME)
        .put("id", WIDGET_ID)
        .put("creatorUserId", creatorUserId)
        .put("data", new JsonObject())
        // The widget says when it is ready (content_loaded), after its script has started.
        .put("waitForIframeLoad", false);
  }

  static JsonObject layoutContent() {
    return new JsonObject().put("widgets", new JsonObject().put(WIDGET_ID, new JsonObject()
        .put("container", "top")
        .put("index", 0)
        .put("width", 100)
        .put("height", 60)));
  }
}
