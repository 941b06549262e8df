package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counselling rooms made the way they are in use, through the bridge: a counsellor asks the bot
 * ({@code !gesprek nieuw}) and joins; the client opens the link as the client page does (code
 * check, consent, a guest account from the bridge), knocks with it and is let in. Several
 * counsellors work at once, each one room after the other in her own direct chat with the bot.
 * Every room made is written to {@code scale-rooms.txt} in the homeserver's work directory, and read
 * back from there when the homeserver was kept from an earlier run ({@code PRAATBRUG_IT_KEEP=1}).
 */
final class ScaleRooms {

  record Room(String roomId, String clientId) {}

  private static final Pattern LINK = Pattern.compile("/binnen/#([A-Z0-9]+)");
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PASSWORD = "scale benchmark password";

  private final Vertx vertx;
  private final TestHomeserver homeserver;
  private final BridgeConfig config;
  private final String entryUrl;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<MatrixTestClient> counsellors = new ArrayList<>();
  private final List<String> directChats = new ArrayList<>();
  private final List<Room> rooms = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger visitors = new AtomicInteger();
  private final Path made;

  ScaleRooms(Vertx vertx, TestHomeserver homeserver, BridgeConfig config) throws IOException {
    this.vertx = vertx;
    this.homeserver = homeserver;
    this.config = config;
    this.entryUrl = "http://127.0.0.1:" + config.appservice().port() + "/_praatbrug/entry/v1";
    this.made = homeserver.workDir.resolve("scale-rooms.txt");
    if (homeserver.kept && Files.exists(made)) {
      for (String line : Files.readAllLines(made)) {
        String[] fields = line.trim().split(" ");
        if (fields.length == 2) {
          rooms.add(new Room(fields[0], fields[1]));
        }
      }
      visitors.set(rooms.size());
    } else {
      Files.deleteIfExists(made);
    }
  }

  List<Room> rooms() {
    return List.copyOf(rooms);
  }

  /** Makes rooms until there are {@code total}, with {@code parallel} counsellors at work. */
  void growTo(int total, int parallel) throws Exception {
    while (counsellors.size() < parallel) {
      String localpart = "scalecounsellor" + counsellors.size();
      homeserver.register(localpart, PASSWORD);
      MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login(localpart, PASSWORD);
      counsellors.add(counsellor);
      directChats.add(new RunningBridge(vertx, config).openDirectChat(counsellor));
    }
    int missing = total - rooms.size();
    ExecutorService workers = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<?>> done = new ArrayList<>();
      long started = System.nanoTime();
      for (int worker = 0; worker < parallel; worker++) {
        int share = missing / parallel + (worker < missing % parallel ? 1 : 0);
        MatrixTestClient counsellor = counsellors.get(worker);
        String chat = directChats.get(worker);
        done.add(workers.submit(() -> {
          for (int i = 0; i < share; i++) {
            remember(oneRoom(counsellor, chat));
            int made = rooms.size();
            if (made % 250 == 0) {
              System.out.printf("  %d rooms (%.1f per second)%n", made,
                  (made - (total - missing)) / ((System.nanoTime() - started) / 1e9));
            }
          }
          return null;
        }));
      }
      for (Future<?> each : done) {
        each.get();
      }
    } finally {
      workers.shutdownNow();
    }
  }

  private synchronized void remember(Room room) throws IOException {
    rooms.add(room);
    Files.writeString(made, room.roomId() + " " + room.clientId() + "\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private Room oneRoom(MatrixTestClient counsellor, String chat) throws Exception {
    MatrixTestClient.NewRoom made = counsellor.newCounsellingRoom(chat, config.botUserId(), "!gesprek nieuw", WAIT);
    Matcher link = LINK.matcher(made.answer());
    if (!link.find()) {
      throw new IllegalStateException("no client link in: " + made.answer());
    }
    String secret = link.group(1);
    // Each visitor comes from an address of her own (through the trusted proxy), as clients do.
    int visitor = visitors.incrementAndGet();
    String address = "10." + (visitor >> 16 & 255) + "." + (visitor >> 8 & 255) + "." + (visitor & 255);
    JsonObject info = post("/code", new JsonObject().put("code", secret), address);
    JsonObject guest = post("/guests", new JsonObject().put("code", secret).put("name", "Cliënt")
        .put("agreed", true).put("language", "nl")
        .put("consent_version", info.getJsonObject("consent").getString("version")), address);
    MatrixTestClient client = new MatrixTestClient(vertx, homeserver.clientUrl)
        .withToken(guest.getString("access_token"), guest.getString("user_id"));
    client.knock(made.roomId(), secret);
    MatrixTestClient.eventually(WAIT, "the client let in", () ->
        "invite".equals(counsellor.membership(made.roomId(), client.userId())) ? Optional.of(true) : Optional.empty());
    client.join(made.roomId());
    return new Room(made.roomId(), client.userId());
  }

  private JsonObject post(String path, JsonObject body, String address) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(entryUrl + path))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .header("X-Forwarded-For", address)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + path + " -> " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body());
  }
}
