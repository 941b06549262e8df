package be.praatbrug.bridge.main;

import be.praatbrug.bridge.admin.AdminApi;
import be.praatbrug.bridge.admin.AdminPage;
import be.praatbrug.bridge.appservice.AppServiceApi;
import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.bridge.appservice.TransactionObserver;
import be.praatbrug.bridge.clients.ClientRecordReplies;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.e2ee.BotDevice;
import be.praatbrug.bridge.door.Door;
import be.praatbrug.bridge.door.DoorActions;
import be.praatbrug.bridge.door.DoorApi;
import be.praatbrug.bridge.e2ee.DecryptingProcessor;
import be.praatbrug.bridge.e2ee.EncryptedNotices;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.PublicKeyHandler;
import be.praatbrug.bridge.matrix.HomeserverHttp;
import be.praatbrug.bridge.matrix.HttpMatrixClient;
import be.praatbrug.bridge.matrix.RetryPolicy;
import be.praatbrug.bridge.matrix.RoomStateStore;
import be.praatbrug.bridge.web.Endpoint;
import be.praatbrug.bridge.pipeline.DecisionProcessor;
import be.praatbrug.bridge.pipeline.MatrixActionExecutor;
import be.praatbrug.bridge.desk.CaseloadRecords;
import be.praatbrug.bridge.desk.DeskRoutes;
import be.praatbrug.bridge.entry.ClientRightsApi;
import be.praatbrug.bridge.entry.EntryApi;
import be.praatbrug.bridge.entry.EntryCodes;
import be.praatbrug.bridge.entry.EntryPage;
import be.praatbrug.bridge.entry.PageAppearance;
import be.praatbrug.bridge.entry.GuestAccounts;
import be.praatbrug.bridge.entry.GuestStore;
import be.praatbrug.bridge.entry.LinkConsent;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.ops.BridgeMetrics;
import be.praatbrug.bridge.ops.HealthRoutes;
import be.praatbrug.bridge.ops.LanDiscovery;
import be.praatbrug.bridge.ops.MeteredActionExecutor;
import be.praatbrug.bridge.ops.MetricsObserver;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.bridge.pipeline.DirectChats;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.retention.RoomActivity;
import be.praatbrug.bridge.retention.RoomFiles;
import be.praatbrug.bridge.retention.UploadsApi;
import be.praatbrug.bridge.rooms.ConsentFollowUp;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.LedgerRecords;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.bridge.rooms.RetentionJob;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.JdbcStore;
import be.praatbrug.bridge.widget.CallWidgetState;
import be.praatbrug.bridge.widget.WidgetRoutes;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.guests.GuestNamespace;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.FederationAllowlist;
import be.praatbrug.policy.rules.PolicyException;
import java.util.List;
import java.util.Map;
import be.praatbrug.bridge.ops.OpsListener;
import be.praatbrug.bridge.rooms.Admissions;
import be.praatbrug.bridge.secret.BridgeSecret;
import be.praatbrug.bridge.secret.BridgeSecretFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import be.praatbrug.bridge.appointments.AppointmentActions;
import be.praatbrug.bridge.appointments.AppointmentStore;
import be.praatbrug.bridge.appointments.AppointmentViews;
import be.praatbrug.bridge.appointments.ReminderJob;
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
  private AppointmentStore appointmentStore;
  private ReminderJob reminders;
  private final BridgeMetrics metrics;
  private HealthRoutes health;
  private LanDiscovery announcement;
  private Database database;
  private Ledger ledger;
  /** The one HTTP pipeline to the homeserver: the Matrix client's and the bot device's calls. */
  private HomeserverHttp homeserver;
  private HttpMatrixClient matrix;
  private HttpServer server;
  private OpsListener ops;
  private BridgeSecret secret;
  private Admissions admissions;
  private AppServiceApi api;
  /** Completes at "ready"; transactions that come earlier wait for it (see AppServiceApi). */
  private final Promise<Void> startedUp = Promise.promise();
  private PolicyRepository policies;
  private RoomRegistry registry;
  private be.praatbrug.bridge.staff.StaffDirectory staffDirectory;
  private RoomStore roomStore;
  private Reconciler reconciler;
  private RetentionJob retention;
  private GuestAccounts guests;
  private Door door;
  private AdminApi admin;
  private BotDevice botDevice;
  /** The public HTTP areas in mounting order; closed in reverse. */
  private List<Endpoint> endpoints = List.of();
  private ClientRecords clientRecords;

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
        .compose(listening -> HomeserverCheck.run(matrix, config, api::pingReached))
        .compose(roundTripMs -> {
          if (roundTripMs >= 0) {
            LOG.info("homeserver {} reached us back in {} ms", config.homeserver().domain(), roundTripMs);
          }
          return matrix.registerBot(config.appservice().botLocalpart());
        })
        .compose(registered -> startBotDevice())
        .compose(started -> admin.restoreSavedPolicies())
        .compose(restored -> {
          if (restored > 0) {
            LOG.info("{} policies saved by admins are in force over their files", restored);
          }
          return loadRooms();
        })
        .compose(rooms -> reconciler.reconcileAll())
        .onSuccess(repaired -> {
          LOG.info("reconciled {} counselling rooms at startup, {} needed repair",
              registry.rooms().size(), repaired);
          startTimers();
          // Cosmetic, so it neither delays nor fails startup.
          matrix.setDisplayName(config.botUserId(), config.appservice().botDisplayname())
              .onFailure(failure -> LOG.warn("could not set the bot's display name: {}",
                  failure.toString()));
          LOG.info("Praatbrug ready: {} on {}:{} for {} (store: {}, policies: {})",
              config.botUserId(), config.appservice().hostname(), server.actualPort(),
              config.homeserver().address(), database.backend(), policies.names());
          health.setNotReadyReason(null);
          startedUp.tryComplete();
          announceOnTheLan();
        })
        .recover(failure -> {
          startedUp.tryFail(failure);
          return stop().transform(stopped -> Future.failedFuture(failure));
        });
  }

  private Future<HttpServer> listen() {
    BotContext bot = new BotContext(config.botUserId(), config.homeserver().domain());
    byte[] roomSecret = secret.roomSecret();
    homeserver = new HomeserverHttp(vertx, config.homeserver().address(), config.homeserver().maxConnections());
    homeserver.observe(metrics::homeserverRequest);
    matrix = new HttpMatrixClient(vertx, homeserver, config.appservice().asToken(), config.botUserId(),
        RetryPolicy.DEFAULT);
    registry = new RoomRegistry();
    roomStore = new RoomStore(database);
    LedgerRecords records = new LedgerRecords(ledger);
    Map<String, Map<String, Object>> callWidget = callWidgetState();
    GuestNamespace guestNamespace = new GuestNamespace(config.appservice().guestLocalpartPrefix(),
        config.homeserver().domain());
    guests = new GuestAccounts(matrix, new GuestStore(database), guestNamespace, clock);
    // Matrix accounts' references from before client records ("cl-…") were hashed under a key made
    // from as_token; that key only finds them again, nothing new is made with it.
    clientRecords = new ClientRecords(database, ledger.clientKeys(), clock,
        BridgeSecret.legacyRoomSecret(config.appservice().asToken()));
    admissions = new Admissions(database, registry, records, clientRecords, guestNamespace::contains,
        clock);
    RoomLifecycle lifecycle = new RoomLifecycle(matrix, roomStore, registry, policies, clock, roomSecret,
        config.rooms().publicBaseUrl(), records, callWidget, clientRecords, guestNamespace::contains);
    String organisation = policies.get(policies.defaultName()).organisation();
    RoomStateStore roomStates = new RoomStateStore(matrix, clock::millis);
    Notices notices = new Notices(matrix, new EncryptedNotices(roomStates, () -> botDevice));
    DirectChats directChats = new DirectChats(matrix, roomStates, () -> botDevice != null);
    if (config.staffDirectory() != null) {
      staffDirectory = new be.praatbrug.bridge.staff.StaffDirectory(
          io.vertx.ext.web.client.WebClient.create(vertx), matrix, config.staffDirectory(),
          config.homeserver().domain(), registry, directChats, notices,
          config.admin().users(), clock);
    }
    ConsentService consent = new ConsentService(ledger, notices, clientRecords,
        guestNamespace::contains, this::recordOfGuest, organisation, clock);
    appointmentStore = new AppointmentStore(database);
    reminders = new ReminderJob(appointmentStore, registry, policies, notices, records, clock);
    // The door's tickets are proven with an HMAC under the room secret, like knock codes.
    door = Door.of(database, roomSecret, policies, consent, clientRecords,
        new DoorActions.Parts(policies, lifecycle, guests, admissions, matrix,
            registry, records, notices), clock);
    ActionExecutor executor = new MeteredActionExecutor(new MatrixActionExecutor(
        new MatrixActionExecutor.Parts(matrix, lifecycle, registry, consent, guests, notices,
            directChats,
            new ClientRecordReplies(notices, clientRecords, ledger, organisation, clock), admissions,
            new AppointmentActions(appointmentStore, lifecycle, registry, policies, notices, records,
                clock), door.actions())),
        metrics);
    ConsentFollowUp followUp = new ConsentFollowUp(matrix, registry, policies, bot, roomSecret, clock,
        executor, callWidget, config.appservice().guestLocalpartPrefix());
    consent.setListener(followUp);
    DecisionProcessor processor = new DecisionProcessor(bot, registry, policies, roomSecret,
        guestNamespace, guests::assignments, clock, executor, consent, callWidget, clientRecords);
    processor.useAppointments(appointmentStore);
    reconciler = new Reconciler(matrix, registry, policies, bot, roomSecret, clock, executor, callWidget,
        config.appservice().guestLocalpartPrefix(), config.rooms().reconcileConcurrency(),
        consent::consentOnRecord);
    RetentionCalls retentionCalls = new be.praatbrug.bridge.matrix.HttpRetentionCalls(matrix, config.homeserver().domain());
    RoomFiles roomFiles = new RoomFiles(database);
    RoomActivity activity = new RoomActivity(clock);
    retention = new RetentionJob(new RetentionJob.Parts(vertx, matrix, retentionCalls, roomStore,
        registry, policies, clock, records, roomFiles, activity,
        java.time.Duration.ofSeconds(config.rooms().retentionIntervalSeconds())));
    // Counselling rooms stay unreadable to the bot: it decrypts (and keeps room keys) only elsewhere.
    DecryptingProcessor decrypting = new DecryptingProcessor(processor, () -> botDevice,
        roomId -> !registry.isManaged(roomId));
    api = new AppServiceApi(vertx, new JdbcStore(database), decrypting,
        config.appservice().hsToken(), config.appservice().maxBodyBytes(), clock);
    api.holdTransactionsUntil(startedUp.future());
    // Room state first (members a notice goes to), then the E2EE device's data once it runs.
    api.setDeviceDataSink(body -> {
      roomStates.observe(body);
      BotDevice device = botDevice;
      return device == null ? Future.succeededFuture() : device.acceptTransaction(body);
    });
    api.observe(TransactionObserver.both(new MetricsObserver(metrics), activity));
    health = new HealthRoutes(vertx, () -> database, config.homeserver().address());
    admin = new AdminApi(new AdminApi.Parts(vertx, config, database, policies, reconciler, registry,
        executor, ledger, clock, clientRecords));
    ClassLoader loader = getClass().getClassLoader();
    endpoints = List.of(
        parent -> parent.get(PublicKeyHandler.PATH).handler(new PublicKeyHandler(ledger.publicKey())),
        Endpoint.at(WidgetRoutes.PREFIX + "*", WidgetRoutes.router(vertx, loader, config.widget())),
        Endpoint.at(EntryPage.PREFIX.substring(0, EntryPage.PREFIX.length() - 1) + "*", EntryPage.router(vertx,
            loader, config.widget().homeserverPublicUrl(), PageAppearance.of(config.entry()))),
        // The client's own rights (inside a conversation) before the link calls: the same prefix.
        Endpoint.at(ClientRightsApi.PREFIX + "*", new ClientRightsApi(new ClientRightsApi.Parts(vertx,
            matrix::userOfToken, guests::assignments, registry, policies, clientRecords, ledger, consent, followUp,
            config.entry(), clock)).router()),
        Endpoint.at(UploadsApi.PREFIX + "*", new UploadsApi(vertx, retentionCalls, roomFiles, registry,
            matrix::userOfToken, roomId -> registry.isManaged(roomId)
                ? java.util.Optional.of(policies.get(registry.room(roomId).policyName()).attachments())
                : java.util.Optional.empty(), config.entry(), clock).router()),
        Endpoint.at(EntryApi.PREFIX + "*", new EntryApi(vertx,
            new EntryCodes(roomStore, registry, roomSecret, clock, appointmentStore), guests, consent,
            config.widget().homeserverPublicUrl(), config.entry(), clock,
            new LinkConsent(consent, clientRecords, registry)).router()),
        Endpoint.at(DoorApi.PREFIX + "*", DoorApi.of(vertx, door, consent, config.widget().homeserverPublicUrl(),
            config.entry(), clock).router()),
        Endpoint.at(DeskRoutes.PREFIX + "*", new DeskRoutes(new DeskRoutes.Parts(vertx,
            config.widget().homeserverPublicUrl(), bot.botUserId(), matrix::userOfToken,
            guestNamespace::contains, new CaseloadRecords(registry, clientRecords), config.entry(),
            clock, new be.praatbrug.bridge.staff.SsoProbe(io.vertx.ext.web.client.WebClient.create(vertx),
                config.homeserver().address())::ready,
            counsellor -> appointmentStore.upcoming(counsellor, clock.instant()).map(stored ->
                AppointmentViews.forDesk(stored, registry, policies)),
            () -> policies.get(policies.defaultName()).desk().idleLock(), door::deskView)).router()),
        admin,
        parent -> AdminPage.mount(parent, vertx, loader, config));
    endpoints.forEach(endpoint -> endpoint.mount(api.router()));
    return vertx.createHttpServer()
        .requestHandler(api.router())
        .listen(config.appservice().port(), config.appservice().hostname())
        .onSuccess(started -> server = started)
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
    return OpsListener.start(vertx, host, port, health,
            config.ops().metricsEnabled() ? () -> metrics.scrape(database) : null)
        .onSuccess(started -> {
          ops = started;
          LOG.info("health{} on the internal listener {}:{}",
              config.ops().metricsEnabled() ? " and metrics" : "", host, started.port());
        })
        .map(started -> server)
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

  /** The call widget's state events, as the policy core compares and the bridge sends them. */
  private Map<String, Map<String, Object>> callWidgetState() {
    Map<String, Map<String, Object>> state = new java.util.LinkedHashMap<>();
    for (CallWidgetState.StateEvent event : CallWidgetState.forRoom(config.widget(), config.botUserId())) {
      state.put(RoomSnapshot.stateKey(event.type(), event.stateKey()), JsonBodies.plainMap(event.content()));
    }
    return state;
  }

  /**
   * Brings up the bot's E2EE device. Not fatal: without it the bridge works as before (notices in
   * the counsellor's direct chat), and the log says why.
   */
  private Future<Void> startBotDevice() {
    BotDevice device = new BotDevice(vertx, database, secret.e2eeStateKey(),
        secret.olderE2eeStateKeys(config.appservice().asToken()), homeserver,
        config.appservice().asToken(), config.botUserId(), BotDevice.DEVICE_PREFIX);
    device.refuseRoomKeysFor(registry::isManaged);
    return device.start()
        .onSuccess(started -> {
          botDevice = device;
          forgetPreviousSecret();
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
    return roomStore.liveRooms().compose(rooms -> roomStore.usableCodes().map(codes -> {
      rooms.forEach(registry::put);
      codes.forEach(registry::setCodes);
      return null;
    })).compose(loaded -> admissions.load()).compose(loaded -> guests.load())
        .compose(loaded -> door.load());
  }

  /** Ends link clients' accounts whose room closed or who waited longer than a code lives. */
  private void expireGuests() {
    guests.expire(registry::room,
            guest -> registry.snapshot(guest.roomId(), clock.instant()).membership(guest.userId()),
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
      reconciler.reconcileAll().onSuccess(repaired -> {
        if (repaired > 0) {
          LOG.info("reconciliation repaired {} rooms", repaired);
        }
      });
      expireGuests();
    });
    vertx.setPeriodic(1, config.rooms().retentionIntervalSeconds() * 1000L, timer -> retention.runOnce());
    // A warm referral's handover time is short; its end should not wait for the reconcile timer.
    vertx.setPeriodic(HANDOVER_CHECK_MS, timer -> reconciler.expireHandovers());
    // Reminders due while the bridge was down go out at once; then every few seconds.
    reminders.runOnce();
    vertx.setPeriodic(REMINDER_CHECK_MS, timer -> reminders.runOnce());
    LinkWatch links = new LinkWatch(matrix, config.homeserver().domain(),
        () -> FederationAllowlist.servers(policies.all().values(), config.homeserver().domain()),
        () -> reconciler.reconcileAll().onSuccess(repaired ->
            LOG.info("after the homeserver came back {} rooms needed repair", repaired)), clock);
    vertx.setPeriodic(LINK_CHECK_MS, timer -> links.check());
    vertx.setPeriodic(DOOR_SWEEP_MS, timer -> door.sweep().onSuccess(forgotten -> {
      if (forgotten > 0) {
        LOG.info("the door's line forgot {} people who left or never came in", forgotten);
      }
    }));
    vertx.eventBus().consumer(RELOAD_ADDRESS, message -> reloadPolicies());
    if (staffDirectory != null) {
      vertx.setPeriodic(1, config.staffDirectory().pollSeconds() * 1000L, timer -> staffDirectory.pollOnce());
    }
  }

  /** Re-reads the policy files; on success every room is reconciled against the new rules. */
  private void reloadPolicies() {
    vertx.executeBlocking(policies::load)
        .onFailure(failure -> LOG.error("policy reload refused, the previous policies stay in force:\n{}",
            failure instanceof PolicyException policy ? String.join("\n", policy.problems())
                : failure.toString()))
        .compose(loaded -> {
          LOG.info("policies reloaded: {}; reconciling rooms", loaded.keySet());
          return reconciler.reconcileAll();
        })
        .onSuccess(repaired -> LOG.info("after the reload {} rooms were brought in line", repaired));
  }

  /** Planned sessions for the counsellor page: room, record and times (epoch ms). */
  /** Room events handed to processing since start (for tests and metrics). */
  public long eventsHandled() {
    return api == null ? 0 : api.eventsHandled();
  }

  /** A link client's record: the client record of the one room its guest account is for. */
  private String recordOfGuest(String guestUserId) {
    String roomId = guests.assignments().get(guestUserId);
    CounsellingRoom room = roomId == null ? null : registry.room(roomId);
    return room == null ? null : room.clientRef();
  }

  /** The client records (the same client across sessions), once started. */
  public ClientRecords clientRecords() {
    return clientRecords;
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
          for (int i = endpoints.size() - 1; i >= 0; i--) {
            endpoints.get(i).close();
          }
          if (health != null) {
            health.close();
          }
          if (matrix != null) {
            matrix.close(); // and with it the bot device's calls: one pipeline
          }
          return Future.succeededFuture();
        })
        .eventually(() -> database == null ? Future.succeededFuture() : database.close());
  }
}
