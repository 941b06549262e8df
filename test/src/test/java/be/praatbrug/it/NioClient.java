package be.praatbrug.it;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An end-to-end encrypting Matrix client nobody here wrote: matrix-nio with libolm (Debian
 * python3-matrix-nio), driven over JSON lines ({@code test/src/test/python/nio_e2ee_client.py}).
 * Started without a room it makes an encrypted direct chat with the bot; with one it is another
 * device of the same user in that room.
 */
final class NioClient implements AutoCloseable {

  private final Process process;
  private final BufferedReader from;
  private final BufferedWriter to;
  private final Path log;
  private final String roomId;

  private NioClient(Process process, Path log) throws Exception {
    this.process = process;
    this.log = log;
    this.from = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.to = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.roomId = read().getString("room_id");
  }

  /**
   * Logs in as {@code userId} on a new device; returns once its encrypted room with {@code bot}
   * exists (made now when {@code roomId} is null, else that room) and its keys are uploaded.
   */
  static NioClient start(TestHomeserver homeserver, String userId, String password, String bot, String roomId, Path log)
      throws Exception {
    return start(homeserver.clientUrl, userId, password, bot, roomId, log);
  }

  /** The same on the homeserver at {@code clientUrl} (another organisation's). */
  static NioClient start(String clientUrl, String userId, String password, String bot, String roomId, Path log)
      throws Exception {
    Path script = TestHomeserver.repository().resolve("test/src/test/python/nio_e2ee_client.py");
    java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("/usr/bin/python3", script.toString(),
        clientUrl, userId, password, bot));
    if (roomId != null) {
      command.add(roomId);
    }
    return new NioClient(new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
  }

  String roomId() {
    return roomId;
  }

  /** Sends an encrypted text message; returns its event id. */
  String send(String body) throws Exception {
    return ask("send", body).getString("event_id");
  }

  /**
   * Uploads {@code bytes} random bytes as an encrypted attachment and sends its {@code m.file}
   * message, as Element does (no registration with the bridge); returns the file's mxc:// URI.
   */
  String sendFile(int bytes) throws Exception {
    return ask("send_file", Integer.toString(bytes)).getString("content_uri");
  }

  /** The first notice not yet reported whose body contains {@code text}: notice, sender, decrypted. */
  JsonObject awaitNotice(String text) throws Exception {
    return ask("await_notice", text);
  }

  private JsonObject ask(String op, String body) throws Exception {
    to.write(new JsonObject().put("op", op).put("body", body).encode());
    to.write('\n');
    to.flush();
    JsonObject answer = read();
    if (answer.containsKey("error")) {
      throw new AssertionError("nio: " + answer.getString("error") + "\n" + Files.readString(log));
    }
    return answer;
  }

  private JsonObject read() throws Exception {
    String line = from.readLine();
    if (line == null) {
      throw new AssertionError("nio client exited early\n" + Files.readString(log));
    }
    return new JsonObject(line);
  }

  @Override
  public void close() {
    process.destroy();
  }
}
