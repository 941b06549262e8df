package be.praatbrug.bridge.desk;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the caseload overview shows of the client records behind a counsellor's rooms: per room the
 * record's reference, the label she (or a colleague) gave it, and how many sessions it holds. Only
 * the rooms she is the counsellor of; the bridge knows nothing else a row could show.
 */
public final class CaseloadRecords {

  private final RoomRegistry registry;
  private final ClientRecords clients;

  public CaseloadRecords(RoomRegistry registry, ClientRecords clients) {
    this.registry = registry;
    this.clients = clients;
  }

  /** {@code {"!room:hs": {"client_ref", "label" (or null), "sessions", "erased"}}} of her rooms. */
  public Future<JsonObject> of(String counsellorId) {
    Map<String, String> refOfRoom = new LinkedHashMap<>();
    for (CounsellingRoom room : registry.rooms()) {
      if (counsellorId.equals(room.counsellorId()) && room.clientRef() != null) {
        refOfRoom.put(room.roomId(), room.clientRef());
      }
    }
    Set<String> refs = new LinkedHashSet<>(refOfRoom.values());
    return clients.findAll(refs).compose(found -> {
      List<String> known = new ArrayList<>(found.keySet());
      List<Future<Optional<String>>> labels = new ArrayList<>();
      List<Future<Integer>> counts = new ArrayList<>();
      for (String ref : known) {
        ClientRecord record = found.get(ref);
        labels.add(record.hasLabel() && !record.erased() ? clients.label(ref)
            : Future.succeededFuture(Optional.empty()));
        counts.add(clients.sessionCount(ref));
      }
      return Future.all(Future.all(labels), Future.all(counts)).map(done -> {
        Map<String, JsonObject> byRef = new LinkedHashMap<>();
        for (int i = 0; i < known.size(); i++) {
          String ref = known.get(i);
          byRef.put(ref, new JsonObject()
              .put("client_ref", ref)
              .put("label", labels.get(i).result().orElse(null))
              .put("sessions", counts.get(i).result())
              .put("erased", found.get(ref).erased()));
        }
        JsonObject rooms = new JsonObject();
        refOfRoom.forEach((roomId, ref) -> {
          JsonObject record = byRef.get(ref);
          if (record != null) {
            rooms.put(roomId, record.copy());
          }
        });
        return rooms;
      });
    });
  }
}
