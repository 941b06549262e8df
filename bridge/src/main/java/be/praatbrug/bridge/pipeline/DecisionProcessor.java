package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.appservice.EventProcessor;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.clients.ClientReference;
import be.praatbrug.policy.clients.KnownClient;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.guests.GuestBoundary;
import be.praatbrug.policy.guests.GuestNamespace;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The path from one pushed event to its effects: pick the decision for the room (counselling room
 * under policy, or a chat with the bot), ask the pure policy core, carry out its actions in order.
 */
public final class DecisionProcessor implements EventProcessor {

  private final BotContext bot;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final byte[] knockCodeKey;
  private final String guestLocalpartPrefix;
  private final Clock clock;
  private final ActionExecutor executor;
  private final NoticeLane noticesElsewhere;
  private final ConsentService consent;
  private final Map<String, Map<String, Object>> callWidgetState;
  private final GuestNamespace guests;
  private final Supplier<Map<String, String>> guestRooms;
  private final ClientRecords clientRecords;
  private be.praatbrug.bridge.appointments.AppointmentStore appointments;
  private Function<String, Future<Integer>> repair = roomId -> Future.succeededFuture(0);
  private final Set<Future<Void>> removalsUnderWay = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Commands then see the sender's planned sessions ({@code !afspraak lijst}, verzet, annuleer). */
  public void useAppointments(be.praatbrug.bridge.appointments.AppointmentStore store) {
    this.appointments = store;
  }

  /** A removal that failed after its transaction was answered is repaired by reconciling its room. */
  public void useRepair(Function<String, Future<Integer>> reconcileRoom) {
    this.repair = reconcileRoom;
  }

  /**
   * @param guestRooms each live guest account's one room (from the client page's accounts)
   * @param clientRecords for the records a command names ({@code !gesprek nieuw voor <ref>})
   */
  public DecisionProcessor(BotContext bot, RoomRegistry registry, PolicyRepository policies,
      byte[] knockCodeKey, GuestNamespace guests, Supplier<Map<String, String>> guestRooms,
      Clock clock, ActionExecutor executor, ConsentService consent,
      Map<String, Map<String, Object>> callWidgetState, ClientRecords clientRecords) {
    this.clientRecords = clientRecords;
    this.guests = guests;
    this.guestRooms = guestRooms;
    this.guestLocalpartPrefix = guests.localpartPrefix();
    this.consent = consent;
    this.callWidgetState = callWidgetState;
    this.bot = bot;
    this.registry = registry;
    this.policies = policies;
    this.knockCodeKey = knockCodeKey.clone();
    this.clock = clock;
    this.executor = executor;
    this.noticesElsewhere = new NoticeLane(executor);
  }

  @Override
  public Future<EventOutcome> process(MatrixEvent event) {
    Future<Set<String>> consented = consentFacts(event);
    Future<Map<String, KnownClient>> known = clientFacts(event);
    Future<List<be.praatbrug.policy.appointments.PlannedAppointment>> planned = appointmentFacts(event);
    return Future.all(consented, known, planned).compose(facts -> {
      Decision decision = decide(event, consented.result(), known.result(), planned.result());
      // The decision was taken on the state before the event; from now on the event is part of it.
      registry.apply(event);
      if (decision instanceof Decision.Ignore ignore) {
        return Future.succeededFuture(new EventOutcome.Ignored(ignore.reason()));
      }
      return execute(event, ((Decision.Act) decision).actions());
    });
  }

  /**
   * Whose consent is on record, for the one kind of event where it matters: someone knocking or
   * being invited into a room whose policy requires consent. Joins (the latency-critical path)
   * never wait for this lookup.
   */
  private Future<Set<String>> consentFacts(MatrixEvent event) {
    if (!registry.isManaged(event.roomId())) {
      // Commands that admit someone name them: look up exactly those people.
      String body = event.contentString("body");
      if (!"m.room.message".equals(event.type()) || body == null || !body.strip().startsWith("!")) {
        return Future.succeededFuture(Set.of());
      }
      Set<String> named = java.util.Arrays.stream(body.strip().split("\\s+"))
          .filter(word -> word.startsWith("@") && word.contains(":")).collect(java.util.stream.Collectors.toSet());
      return named.isEmpty() ? Future.succeededFuture(Set.of()) : consent.consentOnRecord(named);
    }
    String membership = event.contentString("membership");
    boolean admission = "m.room.member".equals(event.type())
        && ("knock".equals(membership) || "invite".equals(membership))
        && !bot.isBot(event.sender()) && registry.isManaged(event.roomId());
    if (!admission || !policies.get(registry.room(event.roomId()).policyName()).consentRequired()) {
      return Future.succeededFuture(Set.of());
    }
    return consent.consentOnRecord(Set.of(event.stateKey()));
  }

  /** The client records a command names, for commands in chats with the bot only. */
  private Future<Map<String, KnownClient>> clientFacts(MatrixEvent event) {
    String body = event.contentString("body");
    if (registry.isManaged(event.roomId()) || !"m.room.message".equals(event.type())
        || body == null || !body.strip().startsWith("!")) {
      return Future.succeededFuture(Map.of());
    }
    Set<String> named = ClientReference.namedIn(body);
    return clientRecords.findAll(named).map(found -> {
      Map<String, KnownClient> known = new java.util.HashMap<>();
      found.forEach((ref, record) -> known.put(ref, new KnownClient(ref, record.erased())));
      return known;
    });
  }

  /** The sender's planned sessions, for {@code !afspraak} commands in chats with the bot only. */
  private Future<List<be.praatbrug.policy.appointments.PlannedAppointment>> appointmentFacts(
      MatrixEvent event) {
    String body = event.contentString("body");
    if (appointments == null || registry.isManaged(event.roomId())
        || !"m.room.message".equals(event.type()) || body == null
        || !body.strip().toLowerCase(java.util.Locale.ROOT).matches("!(afspraak|appointment)\\b.*")) {
      return Future.succeededFuture(List.of());
    }
    return appointments.upcoming(event.sender(), clock.instant())
        .map(stored -> be.praatbrug.bridge.appointments.AppointmentViews.all(stored, registry));
  }

  private Decision decide(MatrixEvent event, Set<String> consented, Map<String, KnownClient> known,
      List<be.praatbrug.policy.appointments.PlannedAppointment> planned) {
    // A link client's account may be in its own room only, managed or not.
    Optional<Decision> outside = GuestBoundary.decide(guests, guestRooms.get(), event);
    if (outside.isPresent()) {
      return outside.get();
    }
    if (registry.isManaged(event.roomId())) {
      var room = registry.room(event.roomId());
      PolicyContext context = new PolicyContext(bot, policies.get(room.policyName()), knockCodeKey,
          consented, callWidgetState, clients());
      return RoomPolicyDecider.decide(context, registry.snapshot(event.roomId(), clock.instant()), event);
    }
    // Only commands look at the sender's rooms; other events skip gathering them.
    String body = event.contentString("body");
    boolean command = body != null && body.strip().startsWith("!");
    CommandContext commands = !command ? CommandContext.empty() : new CommandContext(
        registry.openRoomsOf(event.sender(), event.roomId(), clock.instant()), policies.names(),
        policies.defaultName(), guestLocalpartPrefix, policies.requiringConsent(), consented,
        policies.all(), clients(), known).withAppointments(clock.instant(), planned);
    return BotDecider.decide(bot, event, commands);
  }

  private Clients clients() {
    return new Clients(guestLocalpartPrefix, registry.clientsInSession());
  }

  private Future<EventOutcome> execute(MatrixEvent event, List<Action> actions) {
    List<String> names = actions.stream().map(action -> action.getClass().getSimpleName()).toList();
    Future<Void> done = EventActions.run(executor, noticesElsewhere, event.roomId(), actions,
        index -> idempotencyKey(event.eventId(), index));
    if (!isArrivalRemoval(event, actions)) {
      return done.map(all -> new EventOutcome.Handled(names));
    }
    // Answered now; carried out meanwhile (EventActions says why).
    Future<Void> settled = EventActions.repairedIfFailed(done, event.roomId(), repair);
    removalsUnderWay.add(settled);
    settled.onComplete(finished -> removalsUnderWay.remove(settled));
    return Future.succeededFuture(new EventOutcome.Handled(names, settled));
  }

  /**
   * Someone joined or was invited, and the answer is to remove them: kicks in this room only, the
   * counsellor told elsewhere. Reconciliation repairs exactly such a membership if the kick fails.
   */
  private static boolean isArrivalRemoval(MatrixEvent event, List<Action> actions) {
    String membership = event.contentString("membership");
    return "m.room.member".equals(event.type())
        && ("join".equals(membership) || "invite".equals(membership))
        && EventActions.isRemoval(actions, event.roomId());
  }

  /** Completes once every removal still under way is done (or failed), or after {@code timeoutMs}. */
  public Future<Void> removalsSettled(long timeoutMs) {
    List<Future<Void>> underWay = List.copyOf(removalsUnderWay);
    if (underWay.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.join(underWay).<Void>mapEmpty().timeout(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)
        .otherwiseEmpty();
  }

  /** Stable per (event, action index): a resent event yields the same homeserver txn ids. */
  static String idempotencyKey(String eventId, int actionIndex) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((eventId + "#" + actionIndex).getBytes(StandardCharsets.UTF_8));
      return "praatbrug." + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
