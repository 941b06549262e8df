package be.praatbrug.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped bridge jar as its own process, for harnesses that measure the process itself
 * (resident memory, heap, startup): a bridge inside the harness's JVM would mix both.
 */
final class BridgeProcess {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final TestHomeserver homeserver;
  private final Map<String, String> env;
  private final List<String> javaOptions;
  private final int metricsPort;
  private final Path log;
  private final Path jar;
  private final HttpClient http = HttpClient.newHttpClient();
  private Process process;

  BridgeProcess(TestHomeserver homeserver, Map<String, String> env, List<String> javaOptions,
      int metricsPort, Path log) {
    this(homeserver, env, javaOptions, metricsPort, log,
        TestHomeserver.repository().resolve("bridge/target/praatbrug-bridge.jar"));
  }

  /** The same with another build of the bridge, e.g. an older one to compare with. */
  BridgeProcess(TestHomeserver homeserver, Map<String, String> env, List<String> javaOptions,
      int metricsPort, Path log, Path jar) {
    this.jar = jar;
    this.homeserver = homeserver;
    this.env = env;
    this.javaOptions = javaOptions;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /** Starts the process and returns the milliseconds until {@code /health/ready} answered 200. */
  long startAndAwaitReady(Duration bound) throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("build the bridge jar first (mvn package): " + jar);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.addAll(List.of("-jar", jar.toString(), "--config", homeserver.configFile.toString(), "run"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(TestHomeserver.repository().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    long started = System.nanoTime();
    process = builder.start();
    long deadline = started + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the bridge exited with " + process.exitValue() + "; see " + log);
      }
      if (status("/health/ready") == 200) {
        return (System.nanoTime() - started) / 1_000_000;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the bridge was not ready within " + bound + "; see " + log);
  }

  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Resident set size of the process in kB, from /proc. */
  long residentKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for " + process.pid());
  }

  /** Java heap in use right after a full collection, in kB (jcmd GC.run, then GC.heap_info). */
  long heapAfterFullGcKb() throws Exception {
    jcmd("GC.run");
    // G1 prints one line for the heap, the serial and parallel collectors one per generation;
    // Metaspace and class space are not heap.
    long usedKb = 0;
    boolean found = false;
    for (String line : jcmd("GC.heap_info").split("\n")) {
      Matcher used = HEAP_USED.matcher(line);
      if (!line.trim().startsWith("Metaspace") && !line.trim().startsWith("class space") && used.find()) {
        usedKb += Long.parseLong(used.group(1));
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("jcmd GC.heap_info said nothing about use");
    }
    return usedKb;
  }

  private String jcmd(String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process run = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
        .redirectErrorStream(true).start();
    String output = new String(run.getInputStream().readAllBytes());
    if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + output);
    }
    return output;
  }

  /** The bridge's metrics in the Prometheus text format. */
  String metrics() throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private int status(String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
