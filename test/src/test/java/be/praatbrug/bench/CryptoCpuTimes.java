package be.praatbrug.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operations of {@link CryptoBenchmark}, timed by the thread's CPU time instead of the wall
 * clock: on a machine shared with other jobs the wall clock mostly measures the scheduler, while
 * CPU time per operation stays comparable with libolm's (libolm_bench.py measures the same way).
 * Prints one JSON object: operation to operations per CPU-second (best of 3 rounds of ~2 s).
 */
public final class CryptoCpuTimes {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CryptoCpuTimes() {}

  interface Operation {
    void run();
  }

  static double perCpuSecond(Operation operation, int opsPerCall) {
    long warmUntil = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      operation.run();
    }
    double best = 0;
    for (int round = 0; round < 3; round++) {
      long start = THREADS.getCurrentThreadCpuTime();
      long done = 0;
      long used;
      do {
        operation.run();
        done += opsPerCall;
        used = THREADS.getCurrentThreadCpuTime() - start;
      } while (used < 2_000_000_000L);
      best = Math.max(best, done / (used / 1e9));
    }
    return best;
  }

  public static void main(String[] args) {
    CryptoBenchmark state = new CryptoBenchmark();
    state.setUp();
    Map<String, Double> results = new LinkedHashMap<>();
    results.put("megolmEncrypt", perCpuSecond(state::megolmEncrypt, 1));
    results.put("megolmDecrypt", perCpuSecond(state::megolmDecrypt, CryptoBenchmark.BATCH));
    results.put("olmOutboundSession", perCpuSecond(state::olmOutboundSession, 1));
    results.put("olmHandshake", perCpuSecond(state::olmHandshake, 1));
    StringBuilder json = new StringBuilder("{");
    results.forEach((name, value) -> json.append(json.length() > 1 ? ", " : "").append('"').append(name).append("\": ").append(value));
    System.out.println(json.append('}'));
  }
}
