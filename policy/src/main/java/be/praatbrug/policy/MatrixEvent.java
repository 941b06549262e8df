package be.praatbrug.policy;

import java.util.Map;
import java.util.Objects;

/**
 * A room event as the homeserver pushed it, reduced to what decisions look at.
 *
 * <p>{@code content} is the event's content as plain Java values (maps, lists, strings, numbers,
 * booleans). Decisions read it; nothing in the policy core stores or logs it, because message
 * bodies are client data.
 *
 * @param stateKey {@code null} for non-state events
 */
public record MatrixEvent(
    String roomId,
    String eventId,
    String sender,
    String type,
    String stateKey,
    Map<String, Object> content) {

  /**
   * The type the bridge gives an encrypted event whose room key never came (the bridge was down
   * when it was sent, and no device of the sender gave it again): nobody can read it any more.
   */
  public static final String UNREADABLE_ENCRYPTED = "be.praatbrug.unreadable_encrypted";

  public MatrixEvent {
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(type, "type");
    content = content == null ? Map.of() : content;
  }

  public boolean isState() {
    return stateKey != null;
  }

  /** The content value under {@code key} if it is a string, otherwise {@code null}. */
  public String contentString(String key) {
    return content.get(key) instanceof String value ? value : null;
  }

  /** The server part of a Matrix user id ({@code @local:server} → {@code server}). */
  public static String serverOf(String userId) {
    int colon = userId.indexOf(':');
    return colon < 0 ? "" : userId.substring(colon + 1);
  }
}
