package be.praatbrug.bench;

import be.praatbrug.crypto.megolm.InboundGroupSession;
import be.praatbrug.crypto.megolm.OutboundGroupSession;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmMessage;
import be.praatbrug.crypto.olm.OlmSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Olm and Megolm throughput of the pure-Java crypto module, the same operations that
 * test/scripts/libolm_bench.py times on libolm: Megolm encrypt and in-order decrypt of a
 * 200-byte event body, and Olm session set-up (outbound alone, and a full handshake: outbound,
 * first pre-key message, inbound, decrypt).
 *
 * <p>Run side by side with libolm: {@code test/scripts/crypto-bench.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class CryptoBenchmark {

  /** Messages per decrypt batch; the inbound session starts fresh each batch. */
  static final int BATCH = 1000;

  /** Roughly an m.room.message event body as a client encrypts it. */
  static final String PLAINTEXT = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.notice\","
      + "\"body\":\"Praatbrug: de sessie is gestart. Deze ruimte is versleuteld.\"},\"room_id\":\"!abc:caw.example\"}";

  private OutboundGroupSession outbound;
  private String sessionKey;
  private List<String> batch;
  private OlmAccount alice;
  private OlmAccount bob;
  private String bobIdentity;
  private String bobFallbackKey;

  @Setup(Level.Trial)
  public void setUp() {
    outbound = OutboundGroupSession.create();
    OutboundGroupSession source = OutboundGroupSession.create();
    sessionKey = source.sessionKey();
    batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(source.encrypt(PLAINTEXT));
    }
    alice = OlmAccount.create();
    bob = OlmAccount.create();
    // A fallback key can be used again and again, so every handshake can claim the same key.
    bob.generateFallbackKey();
    bobFallbackKey = bob.unpublishedFallbackKey().values().iterator().next();
    bobIdentity = bob.identityKeys().curve25519();
  }

  @Benchmark
  public String megolmEncrypt() {
    return outbound.encrypt(PLAINTEXT);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int megolmDecrypt() {
    InboundGroupSession inbound = InboundGroupSession.fromSessionKey(sessionKey);
    int length = 0;
    for (String message : batch) {
      length += inbound.decrypt(message).plaintext().length;
    }
    return length;
  }

  @Benchmark
  public OlmSession olmOutboundSession() {
    return OlmSession.createOutbound(alice, bobIdentity, bobFallbackKey);
  }

  @Benchmark
  public byte[] olmHandshake() {
    OlmSession outboundSession = OlmSession.createOutbound(alice, bobIdentity, bobFallbackKey);
    OlmMessage first = outboundSession.encrypt(PLAINTEXT);
    OlmSession inboundSession = OlmSession.createInbound(bob, first);
    return inboundSession.decrypt(first);
  }
}
