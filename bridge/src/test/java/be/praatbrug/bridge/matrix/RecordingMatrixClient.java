package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The project's own {@link MatrixClient} for unit tests of the shell: records every call (method
 * name and arguments, in order) and answers with what the test set for that method. A call the
 * test did not answer fails, so a test sees an unexpected homeserver request instead of a silent
 * success.
 */
public final class RecordingMatrixClient implements MatrixClient {

  /** One call as it was made. */
  public record Call(String method, List<Object> args) {}

  private final String botUserId;
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, Function<List<Object>, Future<?>>> answers = new HashMap<>();

  public RecordingMatrixClient(String botUserId) {
    this.botUserId = botUserId;
  }

  /** Answers every later call of {@code method} with {@code answer(args)}. */
  public RecordingMatrixClient answer(String method, Function<List<Object>, Future<?>> answer) {
    answers.put(method, answer);
    return this;
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** How many times {@code method} was called. */
  public synchronized long count(String method) {
    return calls.stream().filter(call -> call.method().equals(method)).count();
  }

  @SuppressWarnings("unchecked")
  private <T> Future<T> call(String method, Object... args) {
    Function<List<Object>, Future<?>> answer;
    synchronized (this) {
      calls.add(new Call(method, Arrays.asList(args)));
      answer = answers.get(method);
    }
    return answer == null ? Future.failedFuture(new IllegalStateException("not answered in this test: " + method))
        : (Future<T>) answer.apply(Arrays.asList(args));
  }

  @Override
  public String botUserId() {
    return botUserId;
  }

  @Override
  public Future<Long> pingAppService(String appServiceId, String transactionId) {
    return call("pingAppService", appServiceId, transactionId);
  }

  @Override
  public Future<Void> registerBot(String localpart) {
    return call("registerBot", localpart);
  }

  @Override
  public Future<String> whoAmI() {
    return call("whoAmI");
  }

  @Override
  public Future<Void> joinRoom(String roomId) {
    return call("joinRoom", roomId);
  }

  @Override
  public Future<String> sendEvent(String roomId, String eventType, String txnId, JsonObject content) {
    return call("sendEvent", roomId, eventType, txnId, content);
  }

  @Override
  public Future<Void> setDisplayName(String userId, String displayName) {
    return call("setDisplayName", userId, displayName);
  }

  @Override
  public Future<String> createRoom(JsonObject request) {
    return call("createRoom", request);
  }

  @Override
  public Future<Void> invite(String roomId, String userId) {
    return call("invite", roomId, userId);
  }

  @Override
  public Future<Boolean> kick(String roomId, String userId, String reason) {
    return call("kick", roomId, userId, reason);
  }

  @Override
  public Future<String> sendState(String roomId, String eventType, String stateKey, JsonObject content) {
    return call("sendState", roomId, eventType, stateKey, content);
  }

  @Override
  public Future<JsonArray> roomState(String roomId) {
    return call("roomState", roomId);
  }

  @Override
  public Future<Optional<String>> purgeHistory(String roomId, long beforeTs) {
    return call("purgeHistory", roomId, beforeTs);
  }

  @Override
  public Future<String> purgeStatus(String purgeId) {
    return call("purgeStatus", purgeId);
  }

  @Override
  public Future<JsonObject> federationDestination(String destination) {
    return call("federationDestination", destination);
  }

  @Override
  public Future<String> deleteRoom(String roomId) {
    return call("deleteRoom", roomId);
  }

  @Override
  public Future<String> deleteStatus(String deleteId) {
    return call("deleteStatus", deleteId);
  }

  @Override
  public Future<Void> registerNamespaceUser(String localpart) {
    return call("registerNamespaceUser", localpart);
  }

  @Override
  public Future<DeviceLogin> loginNamespaceUser(String userId, String deviceDisplayName) {
    return call("loginNamespaceUser", userId, deviceDisplayName);
  }

  @Override
  public Future<Void> leaveAs(String roomId, String userId) {
    return call("leaveAs", roomId, userId);
  }

  @Override
  public Future<JsonObject> accountData(String type) {
    return call("accountData", type);
  }

  @Override
  public Future<Void> setAccountData(String type, JsonObject content) {
    return call("setAccountData", type, content);
  }

  @Override
  public Future<String> userOfToken(String accessToken) {
    return call("userOfToken", accessToken);
  }

  @Override
  public Future<Void> deactivate(String userId) {
    return call("deactivate", userId);
  }

  @Override
  public Future<List<String>> devicesOf(String userId) {
    return call("devicesOf", userId);
  }

  @Override
  public Future<Void> deleteDevices(String userId, List<String> deviceIds) {
    return call("deleteDevices", userId, deviceIds);
  }
}
