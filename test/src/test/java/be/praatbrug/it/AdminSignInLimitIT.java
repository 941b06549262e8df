package be.praatbrug.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin sign-in limit behind a reverse proxy, against the real bridge and a real Synapse that
 * checks every OpenID token: failures are counted per client (as the proxy names it, IPv6 per /64),
 * before the homeserver is asked, so a stranger cannot lock the admins out and parallel guesses
 * cannot slip past the count.
 */
class AdminSignInLimitIT {

  private static final String PASSWORD = "admin sign-in limit password";
  private static final int LIMIT = 20;
  private static TestHomeserver homeserver;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest()
      .with("PRAATBRUG_ADMIN_USERS", "@limitbeheerder:caw.test")
      .with("PRAATBRUG_ENTRY_TRUSTED_PROXIES", "127.0.0.1");
  private AdminHttp api;
  private MatrixTestClient admin;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("limitbeheerder", PASSWORD);
  }

  @BeforeEach
  void signIn() throws Exception {
    api = new AdminHttp(bridge.config().appservice().port());
    admin = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("limitbeheerder", PASSWORD);
  }

  private AdminHttp.Answer badSignIn(String client) {
    return api.call("POST", AdminHttp.PREFIX + "/login", null, new JsonObject()
        .put("access_token", "guessed-token-" + System.nanoTime()).put("matrix_server_name", "caw.test"),
        "X-Forwarded-For", client);
  }

  @Test
  void aStrangerFailingBehindTheProxyDoesNotLockTheAdminOut() {
    for (int i = 0; i < LIMIT; i++) {
      assertEquals(401, badSignIn("198.51.100.7").status());
    }
    assertEquals(429, badSignIn("198.51.100.7").status(), "the stranger is stopped");

    AdminHttp.Answer signIn = api.call("POST", AdminHttp.PREFIX + "/login", null,
        AdminHttp.openIdToken(admin), "X-Forwarded-For", "203.0.113.9");
    assertEquals(200, signIn.status(), signIn.body());
  }

  @Test
  void parallelBadSignInsAreCountedBeforeTheHomeserverIsAsked() throws Exception {
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(60);
    java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(60);
    List<CompletableFuture<AdminHttp.Answer>> sent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      sent.add(CompletableFuture.supplyAsync(() -> {
        ready.countDown();
        try {
          ready.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return badSignIn("192.0.2.50");
      }, callers));
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<AdminHttp.Answer> each : sent) {
      statuses.add(each.get(60, TimeUnit.SECONDS).status());
    }
    callers.shutdown();
    assertEquals(LIMIT, statuses.stream().filter(status -> status == 401).count(), statuses.toString());
    assertEquals(60 - LIMIT, statuses.stream().filter(status -> status == 429).count(), statuses.toString());
  }

  @Test
  void anIpv6StrangerIsCountedPerSlash64() {
    for (int i = 1; i <= LIMIT; i++) {
      assertEquals(401, badSignIn("2001:db8:5:6::" + Integer.toHexString(i)).status());
    }
    assertEquals(429, badSignIn("2001:db8:5:6:abcd::1").status());
    assertEquals(401, badSignIn("2001:db8:5:7::1").status());
  }
}
