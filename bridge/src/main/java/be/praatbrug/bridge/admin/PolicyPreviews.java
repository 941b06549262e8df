package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.policy.Action;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A policy check's dry run as the admin page shows it: per room (by its word name) the changes a
 * save would make. Who would be removed is said by reason, not by account: the admin decides on
 * the policy, not on people. Notices to counsellors are consequences, not changes, and left out.
 */
final class PolicyPreviews {

  private PolicyPreviews() {}

  static JsonArray toJson(List<Reconciler.Preview> previews) {
    JsonArray rooms = new JsonArray();
    for (Reconciler.Preview preview : previews) {
      JsonArray changes = new JsonArray();
      for (Action action : preview.actions()) {
        JsonObject change = change(action);
        if (change != null) {
          changes.add(change);
        }
      }
      if (!changes.isEmpty()) {
        rooms.add(new JsonObject().put("room", preview.roomName()).put("changes", changes));
      }
    }
    return rooms;
  }

  private static JsonObject change(Action action) {
    if (action instanceof Action.SendNotice || action instanceof Action.DirectMessage) {
      return null;
    }
    JsonObject change = new JsonObject().put("kind", action.getClass().getSimpleName());
    if (action instanceof Action.Kick kick) {
      change.put("reason", kick.reason());
    } else if (action instanceof Action.SetState set) {
      change.put("setting", set.eventType());
    }
    return change;
  }
}
