package be.praatbrug.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Drives the real libolm (Debian python3-olm) through src/test/python/libolm_peer.py: one JSON
 * request per line on its stdin, one JSON answer per line on its stdout.
 */
public final class LibolmPeer implements AutoCloseable {

  /** Debian's interpreter, which is where python3-olm is installed. */
  static final String PYTHON = "/usr/bin/python3";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;

  private LibolmPeer(Process process) {
    this.process = process;
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  public static LibolmPeer start() throws IOException {
    Path script = Path.of("src/test/python/libolm_peer.py").toAbsolutePath();
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("libolm peer script not found at " + script);
    }
    Process check = new ProcessBuilder(PYTHON, "-c", "import olm").redirectErrorStream(true).start();
    try {
      if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
        throw new IllegalStateException("libolm is missing: install Debian's python3-olm (apt-get install python3-olm python3-matrix-nio)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    Process process = new ProcessBuilder(PYTHON, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return new LibolmPeer(process);
  }

  public ObjectNode request(String op) {
    return JSON.createObjectNode().put("op", op);
  }

  /** Sends a request and returns the answer; an answer with "error" is returned, not thrown. */
  public JsonNode call(ObjectNode request) {
    try {
      in.write(JSON.writeValueAsString(request));
      in.write('\n');
      in.flush();
      String line = out.readLine();
      if (line == null) {
        throw new IllegalStateException("libolm peer exited");
      }
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException("libolm peer failed", e);
    }
  }

  /** As {@link #call(ObjectNode)} but fails on an error answer. */
  public JsonNode ok(ObjectNode request) {
    JsonNode answer = call(request);
    if (answer.has("error")) {
      throw new AssertionError("libolm refused " + request.get("op").asText() + ": " + answer.get("error").asText());
    }
    return answer;
  }

  /** The libolm error name of a refused request, or fails if libolm accepted it. */
  public String error(ObjectNode request) {
    JsonNode answer = call(request);
    if (!answer.has("error")) {
      throw new AssertionError("libolm accepted " + request.get("op").asText() + " but should have refused it");
    }
    return answer.get("error").asText();
  }

  @Override
  public void close() throws IOException {
    in.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroy();
    }
  }
}
