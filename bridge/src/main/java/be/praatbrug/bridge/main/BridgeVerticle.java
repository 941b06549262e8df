package be.praatbrug.bridge.main;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.e2ee.BotDevice;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.web.Endpoint;
import be.praatbrug.bridge.entry.EntryPage;
import be.praatbrug.bridge.ops.BridgeMetrics;
import be.praatbrug.bridge.ops.LanDiscovery;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.JdbcStore;
import be.praatbrug.policy.rules.FederationAllowlist;
import be.praatbrug.policy.rules.PolicyException;
import java.util.List;
import be.praatbrug.bridge.ops.OpsListener;
import be.praatbrug.bridge.secret.BridgeSecret;
import be.praatbrug.bridge.secret.BridgeSecretFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: store, policies, appservice API, homeserver client, room jobs, wired into one
 * startup chain.
 *
 * <p>Startup order matters: the HTTP server listens before the homeserver check, because the
 * homeserver answers our ping by calling us; rooms are reconciled before "ready", so whatever
 * happened while the bridge was down is repaired first. Transactions that arrive before "ready"
 * wait for it. Any failing phase undoes what was started
 * and fails with a {@link StartupException} that says what to fix.
 */
public final class BridgeVerticle extends VerticleBase {

  /** Event-bus address that makes the bridge re-read its policies (SIGHUP sends here). */
  public static final String RELOAD_ADDRESS = "praatbrug.reload-policies";

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /** Synapse resends a failed transaction for a while, never for weeks. */
  private static final Duration KEEP_TRANSACTIONS = Duration.ofDays(30);
  private static final long PRUNE_EVERY_MS = Duration.ofHours(6).toMillis();
  private static final long HANDOVER_CHECK_MS = 2_000;
  private static final long LINK_CHECK_MS = 5_000;
  private static final long DOOR_SWEEP_MS = 60_000;

  private final BridgeConfig config;
  private final Clock clock;
  /** How often planned sessions are looked at for reminders: their lateness is at most this. */
  private static final long REMINDER_CHECK_MS = 2_000;
  /** How long a stop waits for removals still under way (their transactions were answered). */
  private static final long REMOVALS_SETTLE_MS = 5_000;
  private final BridgeMetrics metrics;
  private LanDiscovery announcement;
  private Database database;
  private Ledger ledger;
  /** The one HTTP pipeline to the homeserver: the Matrix client's and the bot device's calls. */
  private HttpServer server;
  private OpsListener ops;
  private BridgeSecret secret;
  /** Completes at "ready"; transactions that come earlier wait for it (see AppServiceApi). */
  private final Promise<Void> startedUp = Promise.promise();
  private PolicyRepository policies;
  private BotDevice botDevice;
  /** Every part of the bridge, built at once when the store and ledger are open; null before. */
  private Wiring wiring;

  public BridgeVerticle(BridgeConfig config, Clock clock) {
    this(config, clock, BridgeMetrics.standalone());
  }

  /** @param metrics where the bridge's metrics go (Main shares its registry with Vert.x's own) */
  public BridgeVerticle(BridgeConfig config, Clock clock, BridgeMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    policies = new PolicyRepository(Path.of(config.rooms().policyDir()), config.homeserver().domain(),
        config.rooms().defaultPolicy());
    return vertx.executeBlocking(policies::load)
        .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.CONFIG,
            "policies: " + failure.getMessage(), failure)))
        .compose(loaded -> vertx.executeBlocking(() -> BridgeSecretFile.openOrCreate(
                Path.of(config.secret().keyFile()), config.secret().keyPassphrase()))
            .recover(failure -> Future.failedFuture(new StartupException(
                StartupException.Phase.CONFIG, failure.getMessage(), failure))))
        .compose(opened -> {
          secret = opened;
          return Database.open(vertx, config.database())
              .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.STORE,
                  "database (" + config.database().type() + " " + config.database().uri() + "): "
                      + failure.getMessage(), failure)));
        })
        .compose(opened -> {
          database = opened;
          return Ledger.open(vertx, database, config.ledger(), clock).recover(failure ->
              Future.failedFuture(new StartupException(StartupException.Phase.STORE,
                  failure.getMessage(), failure)));
        })
        .compose(opened -> {
          ledger = opened;
          return listen();
        })
        .compose(listening -> HomeserverCheck.run(wiring.matrix(), config, wiring.api()::pingReached))
        .compose(roundTripMs -> {
          if (roundTripMs >= 0) {
            LOG.info("homeserver {} reached us back in {} ms", config.homeserver().domain(), roundTripMs);
          }
          return wiring.matrix().registerBot(config.appservice().botLocalpart());
        })
        .compose(registered -> startBotDevice())
        .compose(started -> wiring.admin().restoreSavedPolicies())
        .compose(restored -> {
          if (restored > 0) {
            LOG.info("{} policies saved by admins are in force over their files", restored);
          }
          return loadRooms();
        })
        .compose(rooms -> wiring.reconciler().reconcileAll())
        .map(repaired -> {
          LOG.info("reconciled {} counselling rooms at startup, {} needed repair",
              wiring.registry().rooms().size(), repaired);
          startTimers();
          // Cosmetic, so it neither delays nor fails startup.
          wiring.matrix().setDisplayName(config.botUserId(), config.appservice().botDisplayname())
              .onFailure(failure -> LOG.warn("could not set the bot's display name: {}",
                  failure.toString()));
          LOG.info("Praatbrug ready: {} on {}:{} for {} (store: {}, policies: {})",
              config.botUserId(), config.appservice().hostname(), server.actualPort(),
              config.homeserver().address(), database.backend(), policies.names());
          wiring.health().setNotReadyReason(null);
          startedUp.tryComplete();
          announceOnTheLan();
          return repaired;
        })
        .recover(failure -> {
          startedUp.tryFail(failure);
          return stop().transform(stopped -> Future.failedFuture(failure));
        });
  }

  private Future<HttpServer> listen() {
    wiring = Wiring.build(vertx, new Wiring.Opened(config, clock, metrics, policies, secret, database, ledger),
        startedUp.future(), () -> botDevice);
    return vertx.createHttpServer()
        .requestHandler(wiring.api().router())
        .listen(config.appservice().port(), config.appservice().hostname())
        .map(started -> server = started)
        .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.LISTEN,
            "appservice.hostname/port " + config.appservice().hostname() + ":"
                + config.appservice().port() + ": cannot listen (" + failure.getMessage()
                + "). Is another bridge already running?", failure)))
        .compose(listening -> listenInternally());
  }

  /** Health and metrics on their own port, never the public one (see {@link OpsListener}). */
  private Future<HttpServer> listenInternally() {
    String host = config.ops().metricsHostname();
    int port = config.ops().metricsPort();
    return OpsListener.start(vertx, host, port, wiring.health(),
            config.ops().metricsEnabled() ? () -> metrics.scrape(database) : null)
        .map(started -> {
          ops = started;
          LOG.info("health{} on the internal listener {}:{}",
              config.ops().metricsEnabled() ? " and metrics" : "", host, started.port());
          return server;
        })
        .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.LISTEN,
            "metrics.hostname/port " + host + ":" + port + ": cannot listen (" + failure.getMessage()
                + "). Give each bridge its own metrics.port", failure)));
  }

  /** {@code discovery.announce}: off by default; a failure is logged, never fatal. */
  private void announceOnTheLan() {
    if (!config.ops().discoveryAnnounce()) {
      return;
    }
    String base = config.rooms().publicBaseUrl().replaceAll("/+$", "");
    LanDiscovery.Bridge bridge = new LanDiscovery.Bridge(config.ops().discoveryName(),
        config.homeserver().domain(), base + EntryPage.PREFIX, base + "/admin/", java.util.List.of(),
        server.actualPort());
    vertx.executeBlocking(() -> LanDiscovery.announce(config.ops().discoveryAddress() == null ? null
            : java.net.InetAddress.getByName(config.ops().discoveryAddress()), bridge))
        .onSuccess(started -> announcement = started)
        .onFailure(failure -> LOG.warn("LAN announcement failed: {}", failure.toString()));
  }


  /**
   * Brings up the bot's E2EE device. Not fatal: without it the bridge works as before (notices in
   * the counsellor's direct chat), and the log says why.
   */
  private Future<Void> startBotDevice() {
    BotDevice device = new BotDevice(vertx, database, secret.e2eeStateKey(),
        secret.olderE2eeStateKeys(config.appservice().asToken()), wiring.homeserver(),
        config.appservice().asToken(), config.botUserId(), BotDevice.DEVICE_PREFIX);
    device.refuseRoomKeysFor(wiring.registry()::isManaged);
    return device.start()
        .map(started -> {
          botDevice = device;
          forgetPreviousSecret();
          return started;
        })
        .recover(failure -> {
          LOG.error("the bot's E2EE device did not start; encrypted rooms get no bot messages: {}", failure.toString());
          return Future.succeededFuture();
        });
  }

  /** After a rotation, once the E2EE state is sealed with the new secret, the old one goes. */
  private void forgetPreviousSecret() {
    if (!secret.hasPrevious()) {
      return;
    }
    vertx.executeBlocking(() -> {
      BridgeSecretFile.forgetPrevious(Path.of(config.secret().keyFile()), config.secret().keyPassphrase());
      return null;
    }).onSuccess(done -> LOG.info("the bridge secret before the rotation is forgotten"))
        .onFailure(failure -> LOG.warn("could not drop the previous bridge secret: {}", failure.toString()));
  }

  /** The bot's E2EE device, or null when it did not start. */
  public BotDevice botDevice() {
    return botDevice;
  }

  private Future<Void> loadRooms() {
    return wiring.roomStore().liveRooms().compose(rooms -> wiring.roomStore().usableCodes().map(codes -> {
      rooms.forEach(wiring.registry()::put);
      codes.forEach(wiring.registry()::setCodes);
      return null;
    })).compose(loaded -> wiring.admissions().load()).compose(loaded -> wiring.family().load())
        .compose(loaded -> wiring.guests().load())
        .compose(loaded -> wiring.door().load());
  }

  /** Ends link clients' accounts whose room closed or who waited longer than a code lives. */
  private void expireGuests() {
    wiring.guests().expire(wiring.registry()::room,
            guest -> wiring.registry().snapshot(guest.roomId(), clock.instant()).membership(guest.userId()),
            room -> policies.get(room.policyName()).knockCodeLifetime())
        .onSuccess(ended -> {
          if (ended > 0) {
            LOG.info("ended {} guest accounts of closed rooms or expired waits", ended);
          }
        });
  }

  private void startTimers() {
    new JdbcStore(database).deleteTransactionsBefore(clock.instant().minus(KEEP_TRANSACTIONS));
    vertx.setPeriodic(PRUNE_EVERY_MS, timer ->
        new JdbcStore(database).deleteTransactionsBefore(clock.instant().minus(KEEP_TRANSACTIONS))
            .onFailure(failure -> LOG.warn("pruning old transaction ids failed: {}", failure.toString())));
    vertx.setPeriodic(config.rooms().reconcileIntervalSeconds() * 1000L, timer -> {
      wiring.reconciler().reconcileAll().onSuccess(repaired -> {
        if (repaired > 0) {
          LOG.info("reconciliation repaired {} rooms", repaired);
        }
      });
      expireGuests();
    });
    metrics.jobPasses("retention", wiring.retention()::passes);
    metrics.jobPasses("reminders", wiring.reminders()::passes);
    metrics.jobPasses("partner_files", wiring.partnerFiles()::passes);
    vertx.setPeriodic(1, config.rooms().retentionIntervalSeconds() * 1000L, timer -> wiring.retention().runOnce()
        .onComplete(done -> wiring.partnerFiles().runOnce()));
    // A warm referral's handover time is short; its end should not wait for the reconcile timer.
    vertx.setPeriodic(HANDOVER_CHECK_MS, timer -> wiring.reconciler().expireHandovers());
    // Reminders due while the bridge was down go out at once; then every few seconds.
    wiring.reminders().runOnce();
    vertx.setPeriodic(REMINDER_CHECK_MS, timer -> wiring.reminders().runOnce());
    LinkWatch links = new LinkWatch(wiring.matrix(), config.homeserver().domain(),
        () -> FederationAllowlist.servers(policies.all().values(), config.homeserver().domain()),
        () -> wiring.reconciler().reconcileAll().onSuccess(repaired ->
            LOG.info("after the homeserver came back {} rooms needed repair", repaired)), clock);
    vertx.setPeriodic(LINK_CHECK_MS, timer -> links.check());
    vertx.setPeriodic(DOOR_SWEEP_MS, timer -> wiring.door().sweep().onSuccess(forgotten -> {
      if (forgotten > 0) {
        LOG.info("the door's line forgot {} people who left or never came in", forgotten);
      }
    }));
    vertx.eventBus().consumer(RELOAD_ADDRESS, message -> reloadPolicies());
    if (wiring.staffDirectory() != null) {
      vertx.setPeriodic(1, config.staffDirectory().pollSeconds() * 1000L, timer -> wiring.staffDirectory().pollOnce());
    }
  }

  /** Re-reads the policy files; on success every room is reconciled against the new rules. */
  private void reloadPolicies() {
    vertx.executeBlocking(policies::load)
        .onFailure(failure -> {
          metrics.policyReload(false);
          LOG.error("policy reload refused, the previous policies stay in force:\n{}",
              failure instanceof PolicyException policy ? String.join("\n", policy.problems()) : failure.toString());
        })
        .compose(loaded -> {
          metrics.policyReload(true);
          LOG.info("policies reloaded: {}; reconciling rooms", loaded.keySet());
          return wiring.reconciler().reconcileAll();
        })
        .onSuccess(repaired -> LOG.info("after the reload {} rooms were brought in line", repaired));
  }

  /** Room events handed to processing since start (for tests and metrics). */
  public long eventsHandled() {
    return wiring == null ? 0 : wiring.api().eventsHandled();
  }


  /** The client records (the same client across sessions), once started. */
  public ClientRecords clientRecords() {
    return wiring == null ? null : wiring.clientRecords();
  }

  /** The consent and session ledger, once started. */
  public Ledger ledger() {
    return ledger;
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  /** The internal listener's port (health, metrics), or -1 before it listens. */
  public int opsPort() {
    return ops == null ? -1 : ops.port();
  }

  /**
   * Stops in reverse start order: first nothing new comes in (listeners), then the parts that use
   * the homeserver and the store, and the store last, so no in-flight write meets a closed pool.
   */
  @Override
  public Future<?> stop() {
    Future<Void> serverClosed = (server == null ? Future.<Void>succeededFuture() : server.close())
        .eventually(() -> ops == null ? Future.succeededFuture() : ops.close());
    return serverClosed
        .eventually(() -> {
          if (announcement != null) {
            announcement.close();
          }
          if (wiring != null) {
            // Removals go on after their transaction was answered: let them land (Synapse will not resend).
            return wiring.decisions().removalsSettled(REMOVALS_SETTLE_MS);
          }
          return Future.succeededFuture();
        })
        .eventually(() -> {
          if (wiring != null) {
            List<Endpoint> endpoints = wiring.endpoints();
            for (int i = endpoints.size() - 1; i >= 0; i--) {
              endpoints.get(i).close();
            }
            wiring.health().close();
            wiring.matrix().close(); // and with it the bot device's calls: one pipeline
          }
          return Future.succeededFuture();
        })
        .eventually(() -> database == null ? Future.succeededFuture() : database.close());
  }
}
