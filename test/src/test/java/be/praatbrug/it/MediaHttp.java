package be.praatbrug.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Uploads, downloads and the admin view of a room's events, over plain HTTP, as clients do. */
final class MediaHttp {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private MediaHttp() {}

  /** Uploads {@code bytes} with {@code token}; returns the mxc:// URI. */
  static String upload(String homeserver, String token, String contentType, byte[] bytes) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(
            URI.create(homeserver + "/_matrix/media/v3/upload"))
        .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("upload -> " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getString("content_uri");
  }

  /** The HTTP status of an authenticated download of {@code mxc}. */
  static int download(String homeserver, String token, String mxc) {
    String serverAndId = mxc.substring("mxc://".length());
    return send(HttpRequest.newBuilder(URI.create(homeserver + "/_matrix/client/v1/media/download/"
            + serverAndId.replace(":", "%3A")))
        .header("Authorization", "Bearer " + token).GET().build()).statusCode();
  }

  /** Registers an upload with the bridge as the page does; returns status and body. */
  static HttpResponse<String> register(String bridge, String token, String roomId, String mxc) {
    return send(HttpRequest.newBuilder(URI.create(bridge + "/_praatbrug/media/v1/files"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("room_id", roomId)
            .put("content_uri", mxc).encode())).build());
  }

  /** Every event of a room still in the homeserver's database (admin API, unfiltered). */
  static JsonArray storedEvents(String homeserver, String adminToken, String roomId) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(homeserver
            + "/_synapse/admin/v1/rooms/" + MatrixTestClient.encode(roomId) + "/messages?dir=b&limit=200"))
        .header("Authorization", "Bearer " + adminToken).GET().build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("admin messages -> " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getJsonArray("chunk");
  }

  /** Whether the homeserver still stores the event {@code eventId} of {@code roomId}. */
  static boolean stores(String homeserver, String adminToken, String roomId, String eventId) {
    return storedEvents(homeserver, adminToken, roomId).stream()
        .anyMatch(event -> eventId.equals(((JsonObject) event).getString("event_id")));
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
