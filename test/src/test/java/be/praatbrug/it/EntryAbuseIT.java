package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client page's API as a stranger on the internet meets it, against the real bridge and a real
 * Synapse: no uploads, guessing counted before the lookup (IPv6 per /64), links that a busy
 * address never blocks, a bridge-wide budget that slows typed codes instead of refusing them, and
 * a room's guest places taken one at a time.
 */
class EntryAbuseIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Pattern LINK = Pattern.compile("Cliënt zonder app: \\S+/binnen/#([A-Z0-9]+)");
  private static final Pattern CODE = Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)");
  private static final Pattern ROOM_ID = Pattern.compile("(![A-Za-z0-9]+:caw\\.test)");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int MAX_ATTEMPTS = 10;
  private static final int GLOBAL_WRONG_CODES = 30;
  private static TestHomeserver homeserver;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest()
      .with("PRAATBRUG_ENTRY_MAX_ATTEMPTS", String.valueOf(MAX_ATTEMPTS))
      .with("PRAATBRUG_ENTRY_GLOBAL_WRONG_CODES", String.valueOf(GLOBAL_WRONG_CODES))
      .with("PRAATBRUG_ENTRY_TRUSTED_PROXIES", "127.0.0.1");
  private MatrixTestClient counsellor;
  private String controlRoom;

  /** One counselling room as the counsellor hands it out. */
  private record Session(String roomId, String code, String linkSecret) {}

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("entrycounsellor", PASSWORD);
  }

  @BeforeEach
  void signIn() throws Exception {
    counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("entrycounsellor", PASSWORD);
    controlRoom = bridge.openDirectChat(counsellor);
  }

  private Session newSession() {
    String asked = counsellor.sendText(controlRoom, "!gesprek nieuw");
    String body = eventually(WAIT, "the new room's link", () -> counsellor.messageFrom(controlRoom,
        bridge.config().botUserId(), asked).map(event -> event.getJsonObject("content").getString("body"))
        .filter(text -> text.contains("Cliënt zonder app")));
    Matcher room = ROOM_ID.matcher(body);
    Matcher code = CODE.matcher(body);
    Matcher link = LINK.matcher(body);
    assertTrue(room.find() && code.find() && link.find(), body);
    assertTrue(link.group(1).length() >= 26, "a link secret of at least 128 bits: " + link.group(1));
    return new Session(room.group(1), code.group(1), link.group(1));
  }

  private HttpRequest.Builder entry(String path, String client) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.config().appservice().port()
        + "/_praatbrug/entry/v1/" + path)).timeout(Duration.ofSeconds(120))
        .header("X-Forwarded-For", client);
  }

  private CompletableFuture<HttpResponse<String>> post(String path, String client, JsonObject body) {
    return http.sendAsync(entry(path, client).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> checkCode(String code, String client) throws Exception {
    return post("code", client, new JsonObject().put("code", code)).get(120, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> newGuest(String code, String client, String version) {
    return post("guests", client, new JsonObject().put("code", code).put("name", "Robin")
        .put("agreed", true).put("consent_version", version).put("language", "nl"));
  }

  private static String wrongCode(int i) {
    // Eight characters of the code alphabet that no room was given (codes never contain a 0 or 1).
    return ("WRNG" + String.format("%04d", i)).replace('0', 'A').replace('1', 'B');
  }

  private static long count(List<HttpResponse<String>> answers, int status) {
    return answers.stream().filter(answer -> answer.statusCode() == status).count();
  }

  @Test
  void aMultipartPostLeavesNoFileAnywhere() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    String marker = "praatbrug-upload-" + UUID.randomUUID();
    String boundary = "----praatbrug" + UUID.randomUUID();
    byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + marker + "x".repeat(6000) + "\r\n--" + boundary
        + "--\r\n").getBytes(StandardCharsets.UTF_8);
    int port = bridge.config().appservice().port();
    List<String> paths = List.of("/_praatbrug/entry/v1/guests", "/_praatbrug/entry/v1/code",
        "/_praatbrug/entry/v1/me/withdraw", "/_praatbrug/admin/v1/login", "/_matrix/app/v1/ping");
    for (int round = 0; round < 5; round++) {
      for (String path : paths) {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .header("Authorization", "Bearer " + bridge.config().appservice().hsToken())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, answer.statusCode(), path + ": " + answer.body());
        assertEquals("M_NOT_JSON", new JsonObject(answer.body()).getString("errcode"), path);
      }
    }

    // Nowhere the bridge could have put it: its working bridge.directory(), the temp bridge.directory(), the store's.
    Path workingDirectory = Path.of("").toAbsolutePath();
    assertFalse(Files.exists(workingDirectory.resolve("file-uploads")), "an upload folder appeared");
    for (Path root : List.of(workingDirectory, Path.of(System.getProperty("java.io.tmpdir")), bridge.directory())) {
      assertEquals(List.of(), filesHolding(root, marker, before), "uploaded bytes under " + root);
    }
  }

  /** Files under {@code root} changed since {@code since} that contain {@code marker}. */
  private static List<Path> filesHolding(Path root, String marker, Instant since) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root, 6)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        try {
          if (Files.getLastModifiedTime(file).compareTo(FileTime.from(since)) >= 0 && Files.size(file) < 50_000_000
              && new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(marker)) {
            found.add(file);
          }
        } catch (IOException gone) {
          // another process's temporary file, gone meanwhile
        }
      }
    } catch (java.io.UncheckedIOException unreadable) {
      // a folder of another user; not the bridge's
    }
    return found;
  }

  @Test
  void twoHundredParallelWrongCodesCountAsTwoHundredAndALinkStillOpens() throws Exception {
    Session session = newSession();
    for (int round = 0; round < 3; round++) {
      String client = "198.51.100." + (10 + round);
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        sent.add(post("code", client, new JsonObject().put("code", wrongCode(round * 200 + i))));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> each : sent) {
        answers.add(each.get(120, TimeUnit.SECONDS));
      }
      assertEquals(MAX_ATTEMPTS, count(answers, 404), "looked up (round " + round + ")");
      assertEquals(200 - MAX_ATTEMPTS, count(answers, 429), "refused before the lookup (round " + round + ")");
      assertEquals(429, checkCode(session.code(), client).statusCode(), "the address used its attempts");
      // The link's secret is no typed code: what this address did never blocks it.
      assertEquals(200, checkCode(session.linkSecret(), client).statusCode());
    }
  }

  @Test
  void parallelWrongGuestTokensOnTheClientsRightsCountBeforeTheyAreChecked() throws Exception {
    for (int round = 0; round < 3; round++) {
      String client = "198.51.100." + (50 + round);
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        sent.add(http.sendAsync(entry("me/withdraw", client).header("Content-Type", "application/json")
            .header("Authorization", "Bearer syt_not_a_token_" + round + "_" + i)
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> each : sent) {
        answers.add(each.get(120, TimeUnit.SECONDS));
      }
      // Tokens have a limit of their own (they cannot be guessed; it bounds the homeserver lookups).
      int limit = be.praatbrug.bridge.web.TokenGuard.WRONG_TOKENS_PER_MINUTE;
      assertEquals(limit, count(answers, 401), "checked with the homeserver (round " + round + ")");
      assertEquals(60 - limit, count(answers, 429), "refused before the check (round " + round + ")");
    }
  }

  @Test
  void anIpv6ClientIsCountedPerSlash64() throws Exception {
    for (int i = 1; i <= MAX_ATTEMPTS; i++) {
      assertEquals(404, checkCode(wrongCode(i), "2001:db8:7:1::" + Integer.toHexString(i)).statusCode());
    }
    assertEquals(429, checkCode(wrongCode(99), "2001:db8:7:1:ffff:ffff:ffff:fffe").statusCode(),
        "a new address in the same /64 is the same client");
    assertEquals(404, checkCode(wrongCode(98), "2001:db8:7:2::1").statusCode(), "the next /64 is not");
  }

  @Test
  void thirtyClientsFromOneAddressEachOpenTheirOwnValidLink() throws Exception {
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sessions.add(newSession());
    }
    String school = "203.0.113.80";
    // Someone at the school tried codes until the address was refused.
    for (int i = 0; i < MAX_ATTEMPTS + 5; i++) {
      checkCode(wrongCode(500 + i), school);
    }
    long start = System.nanoTime();
    for (Session session : sessions) {
      HttpResponse<String> opened = checkCode(session.linkSecret(), school);
      assertEquals(200, opened.statusCode(), opened.body());
      String version = new JsonObject(opened.body()).getJsonObject("consent").getString("version");
      HttpResponse<String> guest = newGuest(session.linkSecret(), school, version).get(120, TimeUnit.SECONDS);
      assertEquals(201, guest.statusCode(), guest.body());
      assertEquals(session.roomId(), new JsonObject(guest.body()).getString("room_id"));
    }
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    System.out.println("30 clients from one address opened their links in " + tookMs + " ms");
    assertTrue(tookMs < 60_000, "30 clients within a minute (" + tookMs + " ms)");
  }

  @Test
  void parallelGuestRequestsNeverTakeMoreThanTheRoomsPlaces() throws Exception {
    for (int round = 0; round < 3; round++) {
      Session session = newSession();
      String version = new JsonObject(checkCode(session.linkSecret(), "192.0.2.1").body())
          .getJsonObject("consent").getString("version");
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(newGuest(session.linkSecret(), "192.0.2." + (i + 2), version));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> each : sent) {
        answers.add(each.get(120, TimeUnit.SECONDS));
      }
      assertEquals(3, count(answers, 201), "round " + round + ": " + answers.stream()
          .map(HttpResponse::statusCode).toList());
      assertEquals(17, count(answers, 429), "round " + round);
    }
  }

  @Test
  void beyondTheBridgeWideBudgetTypedCodesAreSlowedNotRefused() throws Exception {
    Session session = newSession();
    // Guessing spread over many addresses, each far below its own limit.
    for (int i = 0; i < GLOBAL_WRONG_CODES; i++) {
      assertEquals(404, checkCode(wrongCode(700 + i), "100.64.0." + (i + 1)).statusCode());
    }
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add(post("code", "100.64.1." + (i + 1), new JsonObject().put("code", wrongCode(800 + i))));
    }
    CompletableFuture<HttpResponse<String>> valid = post("code", "100.64.2.1",
        new JsonObject().put("code", session.code()));
    sent.add(valid);
    for (CompletableFuture<HttpResponse<String>> each : sent) {
      each.get(120, TimeUnit.SECONDS);
    }
    long allAfterMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, valid.get().statusCode(), "a valid code is answered, only later: " + valid.get().body());
    for (CompletableFuture<HttpResponse<String>> each : sent.subList(0, 3)) {
      assertEquals(404, each.get().statusCode());
    }
    assertTrue(allAfterMs >= 2_500, "four typed codes take turns a second apart (" + allAfterMs + " ms)");
    // Links are never paced.
    long linkStart = System.nanoTime();
    assertEquals(200, checkCode(session.linkSecret(), "100.64.3.1").statusCode());
    assertTrue((System.nanoTime() - linkStart) / 1_000_000 < 1_000, "the link waited its turn");
  }
}
