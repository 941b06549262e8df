package be.praatbrug.bridge.appservice;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns request bodies into values, with Matrix error codes for what cannot be read. */
public final class JsonBodies {

  private JsonBodies() {}

  /** The body as a JSON object: 400 M_NOT_JSON if it is not JSON, M_BAD_JSON if not an object. */
  static JsonObject object(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new MatrixException(ErrCode.M_NOT_JSON, "Request body is empty; expected a JSON object");
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new MatrixException(ErrCode.M_NOT_JSON, "Request body is not valid JSON");
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new MatrixException(ErrCode.M_BAD_JSON, "Request body must be a JSON object");
  }

  /** One room event; {@link IllegalArgumentException} names the field that is wrong. */
  static MatrixEvent event(Object value) {
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    Object content = json.getValue("content");
    if (content != null && !(content instanceof JsonObject)) {
      throw new IllegalArgumentException("content is not an object");
    }
    Object stateKey = json.getValue("state_key");
    if (stateKey != null && !(stateKey instanceof String)) {
      throw new IllegalArgumentException("state_key is not a string");
    }
    return new MatrixEvent(
        requiredString(json, "room_id"),
        requiredString(json, "event_id"),
        requiredString(json, "sender"),
        requiredString(json, "type"),
        (String) stateKey,
        content == null ? Map.of() : plainMap((JsonObject) content));
  }

  private static String requiredString(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException(field + " is missing or not a string");
    }
    return text;
  }

  /** Vert.x JSON → plain maps and lists, the only shapes the policy core knows. */
  public static Map<String, Object> plainMap(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      map.put(entry.getKey(), plain(entry.getValue()));
    }
    return map;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      return plainMap(object);
    }
    if (value instanceof JsonArray array) {
      List<Object> list = new ArrayList<>(array.size());
      array.forEach(item -> list.add(plain(item)));
      return list;
    }
    return value;
  }
}
