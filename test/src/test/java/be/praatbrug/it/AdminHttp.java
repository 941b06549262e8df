package be.praatbrug.it;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Plain HTTP calls to the bridge's admin API, the way any admin tool would make them. */
final class AdminHttp {

  static final String PREFIX = "/_praatbrug/admin/v1";

  /** Status, headers and body of one answer. */
  record Answer(int status, Map<String, java.util.List<String>> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String errcode() {
      try {
        return json().getString("errcode");
      } catch (RuntimeException notJson) {
        return null;
      }
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;

  AdminHttp(int bridgePort) {
    this.base = "http://127.0.0.1:" + bridgePort;
  }

  Answer call(String method, String path, String bearer, JsonObject body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers().map(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
    }
  }

  /** An OpenID token from {@code person}'s own homeserver, as the admin page asks for one. */
  static JsonObject openIdToken(MatrixTestClient person) {
    return person.call(io.vertx.core.http.HttpMethod.POST, "/_matrix/client/v3/user/"
        + MatrixTestClient.encode(person.userId()) + "/openid/request_token", new JsonObject());
  }

  /** Signs in with {@code person}'s OpenID token; the answer as it comes. */
  Answer login(JsonObject openIdToken) {
    return call("POST", PREFIX + "/login", null, openIdToken);
  }

  String sessionFor(MatrixTestClient admin) {
    Answer answer = login(openIdToken(admin));
    if (answer.status() != 200) {
      throw new IllegalStateException("admin sign-in failed: " + answer.status() + " " + answer.body());
    }
    return answer.json().getString("token");
  }
}
