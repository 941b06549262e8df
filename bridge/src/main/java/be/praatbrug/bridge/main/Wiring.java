package be.praatbrug.bridge.main;

import be.praatbrug.bridge.admin.AdminApi;
import be.praatbrug.bridge.admin.AdminPage;
import be.praatbrug.bridge.appointments.AppointmentActions;
import be.praatbrug.bridge.appointments.AppointmentStore;
import be.praatbrug.bridge.appointments.AppointmentViews;
import be.praatbrug.bridge.appointments.ReminderJob;
import be.praatbrug.bridge.appservice.AppServiceApi;
import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.bridge.appservice.TransactionObserver;
import be.praatbrug.bridge.clients.ClientRecordReplies;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.desk.CaseloadRecords;
import be.praatbrug.bridge.desk.DeskRoutes;
import be.praatbrug.bridge.door.Door;
import be.praatbrug.bridge.door.DoorActions;
import be.praatbrug.bridge.door.DoorApi;
import be.praatbrug.bridge.e2ee.BotDevice;
import be.praatbrug.bridge.e2ee.DecryptingProcessor;
import be.praatbrug.bridge.e2ee.EncryptedNotices;
import be.praatbrug.bridge.entry.ClientRightsApi;
import be.praatbrug.bridge.entry.EntryApi;
import be.praatbrug.bridge.entry.EntryCodes;
import be.praatbrug.bridge.entry.EntryPage;
import be.praatbrug.bridge.entry.GuestAccounts;
import be.praatbrug.bridge.entry.GuestStore;
import be.praatbrug.bridge.entry.LinkConsent;
import be.praatbrug.bridge.entry.PageAppearance;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.PublicKeyHandler;
import be.praatbrug.bridge.matrix.HomeserverHttp;
import be.praatbrug.bridge.matrix.HttpMatrixClient;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.matrix.RetryPolicy;
import be.praatbrug.bridge.matrix.RoomStateStore;
import be.praatbrug.bridge.ops.BridgeMetrics;
import be.praatbrug.bridge.ops.HealthRoutes;
import be.praatbrug.bridge.ops.MeteredActionExecutor;
import be.praatbrug.bridge.ops.MetricsObserver;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.bridge.pipeline.DecisionProcessor;
import be.praatbrug.bridge.pipeline.DirectChats;
import be.praatbrug.bridge.pipeline.MatrixActionExecutor;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.retention.OtherClientFiles;
import be.praatbrug.bridge.retention.PartnerRoomFiles;
import be.praatbrug.bridge.retention.RoomActivity;
import be.praatbrug.bridge.retention.RoomFiles;
import be.praatbrug.bridge.retention.UploadsApi;
import be.praatbrug.bridge.rooms.Admissions;
import be.praatbrug.bridge.rooms.FamilyPlaces;
import be.praatbrug.bridge.rooms.PlaceStore;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.bridge.rooms.ConsentFollowUp;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.LedgerRecords;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.bridge.rooms.RetentionJob;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.secret.BridgeSecret;
import be.praatbrug.bridge.staff.StaffDirectory;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.JdbcStore;
import be.praatbrug.bridge.web.Endpoint;
import be.praatbrug.bridge.widget.CallWidgetState;
import be.praatbrug.bridge.widget.WidgetRoutes;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.guests.GuestNamespace;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.FederationAllowlist;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The composition root: every part of the bridge built once, in dependency order, from what
 * {@link BridgeVerticle#start} opened before (config, policies, bridge secret, store, ledger).
 * The fields are final: nothing is set later, so a part can never see another half-made. The
 * listeners, timers and the bot's E2EE device (which may fail to start without stopping the
 * bridge) stay with the verticle.
 */
record Wiring(HomeserverHttp homeserver, HttpMatrixClient matrix, RoomRegistry registry, RoomStore roomStore,
    GuestAccounts guests, ClientRecords clientRecords, Admissions admissions, FamilyPlaces family,
    StaffDirectory staffDirectory,
    AppointmentStore appointmentStore, ReminderJob reminders, Door door, Reconciler reconciler,
    RetentionJob retention, PartnerRoomFiles partnerFiles, AppServiceApi api, HealthRoutes health, AdminApi admin,
    List<Endpoint> endpoints, DecisionProcessor decisions) {

  /** What start() opened before anything is built. */
  record Opened(BridgeConfig config, Clock clock, BridgeMetrics metrics, PolicyRepository policies,
      BridgeSecret secret, Database database, Ledger ledger) {}

  /**
   * @param startedUp completes at "ready": transactions that come earlier wait for it
   * @param botDevice the bot's E2EE device once it started, else null
   */
  static Wiring build(Vertx vertx, Opened opened, Future<Void> startedUp, Supplier<BotDevice> botDevice) {
    BridgeConfig config = opened.config();
    Clock clock = opened.clock();
    BridgeMetrics metrics = opened.metrics();
    PolicyRepository policies = opened.policies();
    BridgeSecret secret = opened.secret();
    Database database = opened.database();
    Ledger ledger = opened.ledger();
    BotContext bot = new BotContext(config.botUserId(), config.homeserver().domain());
    byte[] roomSecret = secret.roomSecret();
    HomeserverHttp homeserver = new HomeserverHttp(vertx, config.homeserver().address(), config.homeserver().maxConnections());
    homeserver.observe(metrics::homeserverRequest);
    HttpMatrixClient matrix = new HttpMatrixClient(vertx, homeserver, config.appservice().asToken(), config.botUserId(),
        RetryPolicy.DEFAULT);
    RoomRegistry registry = new RoomRegistry();
    RoomStore roomStore = new RoomStore(database);
    LedgerRecords records = new LedgerRecords(ledger);
    Map<String, Map<String, Object>> callWidget = callWidgetState(config);
    GuestNamespace guestNamespace = new GuestNamespace(config.appservice().guestLocalpartPrefix(),
        config.homeserver().domain());
    GuestAccounts guests = new GuestAccounts(matrix, new GuestStore(database), guestNamespace, clock);
    // Matrix accounts' references from before client records ("cl-…") were hashed under a key made
    // from as_token; that key only finds them again, nothing new is made with it.
    ClientRecords clientRecords = new ClientRecords(database, ledger.clientKeys(), clock,
        BridgeSecret.legacyRoomSecret(config.appservice().asToken()));
    Admissions admissions = new Admissions(database, registry, records, clientRecords, guestNamespace::contains,
        guests::placeOf, clock);
    RoomLifecycle lifecycle = new RoomLifecycle(matrix, roomStore, registry, policies, clock, roomSecret,
        config.rooms().publicBaseUrl(), records, callWidget, clientRecords, guestNamespace::contains);
    FamilyPlaces family = new FamilyPlaces(new FamilyPlaces.Parts(matrix, roomStore,
        new PlaceStore(database), registry, policies, clientRecords, records, roomSecret,
        config.rooms().publicBaseUrl(), clock));
    String organisation = policies.get(policies.defaultName()).organisation();
    RoomStateStore roomStates = new RoomStateStore(matrix, clock::millis);
    Notices notices = new Notices(matrix, new EncryptedNotices(roomStates, botDevice));
    DirectChats directChats = new DirectChats(matrix, roomStates, () -> botDevice.get() != null);
    StaffDirectory staffDirectory = config.staffDirectory() == null ? null : new StaffDirectory(
        io.vertx.ext.web.client.WebClient.create(vertx), matrix, config.staffDirectory(),
        config.homeserver().domain(), registry, directChats, notices, config.admin().users(), clock);
    ConsentService consent = new ConsentService(ledger, notices, clientRecords,
        guestNamespace::contains, guestUserId -> recordOfGuest(guests, registry, guestUserId), organisation, clock);
    AppointmentStore appointmentStore = new AppointmentStore(database);
    ReminderJob reminders = new ReminderJob(appointmentStore, registry, policies, notices, records, clock);
    // The door's tickets are proven with an HMAC under the room secret, like knock codes.
    Door door = Door.of(database, roomSecret, policies, consent, clientRecords,
        new DoorActions.Parts(policies, lifecycle, guests, admissions, matrix,
            registry, records, notices), clock);
    ActionExecutor executor = new MeteredActionExecutor(new MatrixActionExecutor(
        new MatrixActionExecutor.Parts(matrix, lifecycle, registry, consent, guests, notices,
            directChats,
            new ClientRecordReplies(notices, clientRecords, ledger, organisation, clock), admissions,
            new AppointmentActions(appointmentStore, lifecycle, registry, policies, notices, records,
                clock), door.actions(), family)),
        metrics);
    ConsentFollowUp followUp = new ConsentFollowUp(matrix, registry, policies, bot, roomSecret, clock,
        executor, callWidget, config.appservice().guestLocalpartPrefix());
    consent.setListener(followUp);
    consent.useHousehold(userId -> householdOf(guests, registry, userId));
    followUp.useConsentCheck(consent::consentOnRecord);
    DecisionProcessor processor = new DecisionProcessor(bot, registry, policies, roomSecret,
        guestNamespace, guests::assignments, clock, executor, consent, callWidget, clientRecords);
    processor.useAppointments(appointmentStore);
    Reconciler reconciler = new Reconciler(matrix, registry, policies, bot, roomSecret, clock, executor, callWidget,
        config.appservice().guestLocalpartPrefix(), config.rooms().reconcileConcurrency(),
        consent::consentOnRecord);
    // After a failed removal; bounded like a pass, so a burst of failed kicks cannot flood Synapse.
    processor.useRepair(new be.praatbrug.bridge.rooms.BoundedRepairs(reconciler::reconcile,
        config.rooms().reconcileConcurrency())::repair);
    RetentionCalls retentionCalls = new be.praatbrug.bridge.matrix.HttpRetentionCalls(matrix, config.homeserver().domain());
    RoomFiles roomFiles = new RoomFiles(database);
    RoomActivity activity = new RoomActivity(clock);
    java.util.function.Predicate<String> ownAccount =
        userId -> userId.equals(config.botUserId()) || guestNamespace.contains(userId);
    OtherClientFiles otherClientFiles = new OtherClientFiles(retentionCalls, roomFiles, registry::isManaged,
        ownAccount);
    PartnerRoomFiles partnerFiles = new PartnerRoomFiles(retentionCalls, roomFiles, registry::isManaged,
        ownAccount, () -> FederationAllowlist.servers(policies.all().values(), config.homeserver().domain()), clock,
        records::record);
    RetentionJob retention = new RetentionJob(new RetentionJob.Parts(vertx, matrix, retentionCalls, roomStore,
        registry, policies, clock, records, roomFiles, activity,
        java.time.Duration.ofSeconds(config.rooms().retentionIntervalSeconds())));
    // Counselling rooms stay unreadable to the bot: it decrypts (and keeps room keys) only elsewhere.
    DecryptingProcessor decrypting = new DecryptingProcessor(processor, botDevice,
        roomId -> !registry.isManaged(roomId));
    AppServiceApi api = new AppServiceApi(vertx, new JdbcStore(database), decrypting,
        config.appservice().hsToken(), config.appservice().maxBodyBytes(), clock);
    api.holdTransactionsUntil(startedUp);
    // Room state first (members a notice goes to), files of other clients' messages (beside the
    // transaction), then the E2EE device's data once it runs.
    api.setDeviceDataSink(body -> {
      roomStates.observe(body);
      otherClientFiles.observe(body);
      BotDevice device = botDevice.get();
      return device == null ? Future.succeededFuture() : device.acceptTransaction(body);
    });
    api.observe(TransactionObserver.both(new MetricsObserver(metrics), activity));
    HealthRoutes health = new HealthRoutes(vertx, () -> database, config.homeserver().address());
    AdminApi admin = new AdminApi(new AdminApi.Parts(vertx, config, database, policies, reconciler, registry,
        executor, ledger, clock, clientRecords));
    ClassLoader loader = Wiring.class.getClassLoader();
    List<Endpoint> endpoints = List.of(
        parent -> parent.get(PublicKeyHandler.PATH).handler(new PublicKeyHandler(ledger.publicKey())),
        Endpoint.at(WidgetRoutes.PREFIX + "*", WidgetRoutes.router(vertx, loader, config.widget())),
        Endpoint.at(EntryPage.PREFIX.substring(0, EntryPage.PREFIX.length() - 1) + "*", EntryPage.router(vertx,
            loader, config.widget().homeserverPublicUrl(), PageAppearance.of(config.entry()))),
        // The client's own rights (inside a conversation) before the link calls: the same prefix.
        Endpoint.at(ClientRightsApi.PREFIX + "*", new ClientRightsApi(new ClientRightsApi.Parts(vertx,
            matrix::userOfToken, guests::assignments,
            guestUserId -> recordOfGuest(guests, registry, guestUserId), registry, policies,
            clientRecords, ledger, consent, followUp,
            config.entry(), clock)).router()),
        Endpoint.at(UploadsApi.PREFIX + "*", new UploadsApi(vertx, retentionCalls, roomFiles, registry,
            matrix::userOfToken, roomId -> registry.isManaged(roomId)
                ? java.util.Optional.of(policies.get(registry.room(roomId).policyName()).attachments())
                : java.util.Optional.empty(), config.entry(), clock).router()),
        Endpoint.at(EntryApi.PREFIX + "*", new EntryApi(vertx,
            new EntryCodes(roomStore, registry, roomSecret, clock, appointmentStore), guests, consent,
            config.widget().homeserverPublicUrl(), config.entry(), clock,
            new LinkConsent(consent, clientRecords, registry, roomId -> isFamilyRoom(registry, policies, roomId)))
            .router()),
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

    return new Wiring(homeserver, matrix, registry, roomStore, guests, clientRecords, admissions, family,
        staffDirectory,
        appointmentStore, reminders, door, reconciler, retention, partnerFiles, api, health, admin, endpoints,
        processor);
  }

  /** The call widget's state events, as the policy core compares and the bridge sends them. */
  private static Map<String, Map<String, Object>> callWidgetState(BridgeConfig config) {
    Map<String, Map<String, Object>> state = new java.util.LinkedHashMap<>();
    for (CallWidgetState.StateEvent event : CallWidgetState.forRoom(config.widget(), config.botUserId())) {
      state.put(RoomSnapshot.stateKey(event.type(), event.stateKey()), JsonBodies.plainMap(event.content()));
    }
    return state;
  }

  private static boolean isFamilyRoom(RoomRegistry registry, PolicyRepository policies, String roomId) {
    CounsellingRoom room = registry.room(roomId);
    return room != null && policies.get(room.policyName()) != null
        && policies.get(room.policyName()).isFamily();
  }

  /**
   * The records of the parents' and guardians' places of the family session a link client takes
   * part in (by the room its guest account is for), whose holders are in; none for anyone else.
   */
  private static List<String> householdOf(GuestAccounts guests, RoomRegistry registry,
      String userId) {
    String own = recordOfGuest(guests, registry, userId);
    String roomId = guests.assignments().get(userId);
    CounsellingRoom room = roomId == null ? null : registry.room(roomId);
    if (room == null) {
      return List.of();
    }
    // Only a parent's or guardian's place counts (not an interpreter's), and only while its holder
    // is in the session: a parent agrees by being there on their own place.
    List<String> others = new java.util.ArrayList<>();
    RoomSnapshot snapshot = registry.snapshot(roomId, java.time.Instant.EPOCH);
    registry.places(roomId).stream()
        .filter(place -> place.parent() && !place.isFree() && "join".equals(snapshot.membership(place.userId())))
        .forEach(place -> others.add(place.clientRef()));
    others.remove(own);
    return others;
  }

  /**
   * A link client's record: the client record of the one room its guest account is for, or in a
   * family session that of the place its link opened.
   */
  private static String recordOfGuest(GuestAccounts guests, RoomRegistry registry, String guestUserId) {
    String roomId = guests.assignments().get(guestUserId);
    CounsellingRoom room = roomId == null ? null : registry.room(roomId);
    if (room == null) {
      return null;
    }
    int place = guests.placeOf(guestUserId);
    return place == Place.CLIENT ? room.clientRef() : registry.places(roomId).stream()
        .filter(named -> named.number() == place).map(Place::clientRef).findFirst().orElse(null);
  }
}
