package be.praatbrug.bridge.staff;

import be.praatbrug.bridge.config.BridgeConfig.StaffDirectorySection;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.DirectChats;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.rooms.RoomSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access that ends when the organisation ends it. Keycloak does not end a user's sessions (nor
 * send a back-channel logout) when an administrator disables the account, so the bridge asks the
 * realm every few seconds which accounts are disabled (its own client's service account, role
 * view-users) and signs each such staff member out of Matrix everywhere: her devices, their tokens
 * and keys are deleted through Synapse's admin API. She cannot sign in again (the identity
 * provider refuses her), and the organisation's admins are told which open counselling rooms she
 * held, so they can be handed over.
 *
 * <p>Logs user ids and room ids only, never tokens or what a room holds.
 */
public final class StaffDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(StaffDirectory.class);

  private final WebClient web;
  private final MatrixClient matrix;
  private final StaffDirectorySection settings;
  private final String domain;
  private final RoomRegistry registry;
  private final DirectChats chats;
  private final Notices notices;
  private final List<String> admins;
  private final Clock clock;
  private final String realmBase;
  private final String realm;
  /** Staff already reported to the admins since this bridge started. */
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  public StaffDirectory(WebClient web, MatrixClient matrix, StaffDirectorySection settings, String domain,
      RoomRegistry registry, DirectChats chats, Notices notices, List<String> admins, Clock clock) {
    this.web = web;
    this.matrix = matrix;
    this.settings = settings;
    this.domain = domain;
    this.registry = registry;
    this.chats = chats;
    this.notices = notices;
    this.admins = admins;
    this.clock = clock;
    int at = settings.issuer().indexOf("/realms/");
    this.realmBase = settings.issuer().substring(0, at);
    this.realm = settings.issuer().substring(at + "/realms/".length());
  }

  /** One look at the realm; overlapping calls (a slow identity provider) are skipped. */
  public Future<Integer> pollOnce() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return token().compose(this::disabledUsers)
        .compose(usernames -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (String username : usernames) {
            String userId = "@" + username.toLowerCase(java.util.Locale.ROOT) + ":" + domain;
            chain = chain.compose(count -> endAccess(userId).map(ended -> count + (ended ? 1 : 0)));
          }
          return chain;
        })
        .onFailure(failure -> LOG.warn("staff directory {}: {}", settings.issuer(), failure.toString()))
        .andThen(done -> running = false);
  }

  private Future<String> token() {
    return web.postAbs(settings.issuer() + "/protocol/openid-connect/token").timeout(10_000)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer("grant_type=client_credentials&client_id="
            + form(settings.clientId()) + "&client_secret=" + form(settings.clientSecret())))
        .compose(response -> response.statusCode() == 200
            ? Future.succeededFuture(response.bodyAsJsonObject().getString("access_token"))
            : Future.failedFuture("token request answered " + response.statusCode()));
  }

  private Future<List<String>> disabledUsers(String token) {
    return web.getAbs(realmBase + "/admin/realms/" + form(realm) + "/users?enabled=false&briefRepresentation=true&max=1000")
        .timeout(10_000).bearerTokenAuthentication(token).send()
        .compose(response -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture("user list answered " + response.statusCode());
          }
          List<String> usernames = new ArrayList<>();
          JsonArray users = response.bodyAsJsonArray();
          for (int i = 0; i < users.size(); i++) {
            JsonObject user = users.getJsonObject(i);
            if (!user.getBoolean("enabled", true) && user.getString("username") != null
                && !user.getString("username").startsWith("service-account-")) {
              usernames.add(user.getString("username"));
            }
          }
          return Future.succeededFuture(usernames);
        });
  }

  /** True when something was ended or reported for {@code userId} now. */
  private Future<Boolean> endAccess(String userId) {
    return matrix.devicesOf(userId)
        .recover(failure -> failure instanceof be.praatbrug.bridge.matrix.MatrixException m && m.httpStatus() == 404
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure))
        .compose(devices -> {
          List<String> rooms = registry.openRoomsOf(userId, clock.instant()).stream()
              .map(RoomSnapshot::roomId).toList();
          if (devices.isEmpty() && (rooms.isEmpty() || reported.contains(userId))) {
            return Future.succeededFuture(false);
          }
          Future<Void> signedOut = devices.isEmpty() ? Future.succeededFuture()
              : matrix.deleteDevices(userId, devices);
          return signedOut.compose(done -> {
            LOG.info("access ended for {} (disabled in the identity provider): {} devices signed out,"
                + " {} open rooms to hand over", userId, devices.size(), rooms.size());
            reported.add(userId);
            return tellAdmins(userId, rooms);
          }).map(true);
        });
  }

  private Future<Void> tellAdmins(String userId, List<String> rooms) {
    String list = rooms.isEmpty() ? "geen / none" : String.join(", ", rooms);
    String text = "Toegang beëindigd: " + userId + " is uitgeschakeld bij de identiteitsprovider van de"
        + " organisatie en is overal afgemeld. Open gesprekken om over te dragen (" + rooms.size() + "): "
        + list + ".\n\nAccess ended: " + userId + " was disabled in the organisation's identity provider"
        + " and is signed out everywhere. Open conversations to hand over (" + rooms.size() + "): " + list + ".";
    List<Future<Void>> sent = new ArrayList<>();
    for (String admin : admins) {
      String txnId = "staff-ended-" + Integer.toHexString((userId + admin + clock.millis()).hashCode());
      sent.add(chats.with(admin).compose(chat -> notices.send(chat, text, txnId))
          .onFailure(failure -> LOG.warn("telling {} about {} failed: {}", admin, userId, failure.toString())));
    }
    return Future.join(sent).mapEmpty();
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
