package be.praatbrug.bench;

import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rooms.ExpectedRoomState;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.Policy;
import be.praatbrug.policy.rules.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decisions per second of the pure policy core on one thread, for the events that matter: an
 * unwanted join (kick), a knock with a valid code (keyed hash), a power-level change (full state
 * comparison), and an ordinary message (ignored). Target: at least 50 000 per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PolicyDecisionBenchmark {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final String ROOM = "!room:caw.test";
  private static final byte[] KEY = "benchmark-key-benchmark-key-32b!".getBytes();

  private PolicyContext context;
  private RoomSnapshot fullRoom;
  private RoomSnapshot waitingRoom;
  private MatrixEvent thirdPartyJoin;
  private MatrixEvent validKnock;
  private MatrixEvent powerLevels;
  private MatrixEvent message;

  @Setup
  public void setUp() throws Exception {
    Path file = Path.of(System.getProperty("praatbrug.repo", ".."), "policy/policies/caw.yaml");
    Policy policy = PolicyParser.parse(file.toString(), "caw", Files.readString(file));
    context = new PolicyContext(new BotContext(BOT, "caw.test"), policy, KEY);
    Map<String, Map<String, Object>> state = new HashMap<>();
    ExpectedRoomState.of(policy, BOT, COUNSELLOR, true)
        .forEach((type, content) -> state.put(RoomSnapshot.stateKey(type, ""), content));
    List<KnockCode> codes = List.of(new KnockCode(KnockCode.hash(KEY, "KX7P3MQ9"),
        Instant.parse("2030-01-01T00:00:00Z"), true));
    Instant now = Instant.parse("2026-11-24T10:00:00Z");
    waitingRoom = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, "!dm:caw.test",
        null, true, Map.of(BOT, "join", COUNSELLOR, "join"), state, codes, now);
    fullRoom = waitingRoom.withMembership("@client:caw.test", "join")
        .withMembership("@stranger:caw.test", "invite");
    thirdPartyJoin = new MatrixEvent(ROOM, "$j", "@stranger:caw.test", "m.room.member",
        "@stranger:caw.test", Map.of("membership", "join"));
    validKnock = new MatrixEvent(ROOM, "$k", "@client:caw.test", "m.room.member",
        "@client:caw.test", Map.of("membership", "knock", "reason", "KX7P-3MQ9"));
    powerLevels = new MatrixEvent(ROOM, "$p", BOT, "m.room.power_levels", "",
        state.get(RoomSnapshot.stateKey("m.room.power_levels", "")));
    message = new MatrixEvent(ROOM, "$m", "@client:caw.test", "m.room.encrypted", null,
        Map.of("algorithm", "m.megolm.v1.aes-sha2"));
    if (!(RoomPolicyDecider.decide(context, fullRoom, thirdPartyJoin) instanceof Decision.Act)) {
      throw new IllegalStateException("the benchmark's kick case must decide to act");
    }
  }

  @Benchmark
  public Decision kickThirdPartyJoin() {
    return RoomPolicyDecider.decide(context, fullRoom, thirdPartyJoin);
  }

  @Benchmark
  public Decision admitValidKnock() {
    return RoomPolicyDecider.decide(context, waitingRoom, validKnock);
  }

  @Benchmark
  public Decision checkPowerLevels() {
    return RoomPolicyDecider.decide(context, waitingRoom, powerLevels);
  }

  @Benchmark
  public Decision ignoreMessage() {
    return RoomPolicyDecider.decide(context, fullRoom, message);
  }
}
