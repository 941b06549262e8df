package be.praatbrug.bridge.main;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Future;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The startup check that the homeserver and the bridge reach each other, with a precise reason
 * when they do not.
 *
 * <p>One appservice ping covers both directions: the homeserver accepts our {@code as_token}, then
 * calls our URL with its {@code hs_token}. Each failure mode names the setting to look at.
 */
final class HomeserverCheck {

  private static final Logger LOG = LoggerFactory.getLogger(HomeserverCheck.class);

  private HomeserverCheck() {}

  /**
   * Succeeds with the round-trip time in ms (-1 when unknown), or fails with a {@link StartupException}.
   * {@code reachedUs} tells whether the homeserver's half of a ping (by id) arrived: Synapse can
   * answer a ping that did reach us with an error ({@code AlreadyCalled}, when a retried transaction
   * is still waiting for us while it tries to retry it again); both directions work then, so that counts as passed.
   */
  static Future<Long> run(MatrixClient matrix, BridgeConfig config, Predicate<String> reachedUs) {
    String txnId = "praatbrug-startup-" + UUID.randomUUID();
    return matrix.pingAppService(config.appservice().id(), txnId)
        .recover(failure -> {
          if (failure instanceof MatrixException matrixError && "M_CONNECTION_FAILED".equals(matrixError.rawErrCode())
              && reachedUs.test(txnId)) {
            LOG.info("the homeserver reached us; its ping answer failed after that ({}), which is harmless", matrixError.getMessage());
            return Future.succeededFuture(-1L);
          }
          return Future.failedFuture(new StartupException(StartupException.Phase.HOMESERVER, explain(failure, config), failure));
        });
  }

  static String explain(Throwable failure, BridgeConfig config) {
    String homeserver = "homeserver.address " + config.homeserver().address();
    String bridgeUrl = "appservice.address " + config.appservice().address();
    if (failure instanceof ConnectException) {
      return homeserver + ": cannot connect (" + failure.getMessage() + "). Is Synapse running "
          + "and listening there? (homeserver-config/synapse.sh status)";
    }
    if (failure instanceof UnknownHostException) {
      return homeserver + ": unknown host " + failure.getMessage() + ". Check the address.";
    }
    if (!(failure instanceof MatrixException matrix)) {
      return homeserver + ": no usable answer (" + failure + "). Is this a Matrix homeserver?";
    }
    return switch (matrix.rawErrCode()) {
      case "M_UNKNOWN_TOKEN", "M_MISSING_TOKEN" -> homeserver + " does not accept appservice.as_token ("
          + matrix.rawErrCode() + "). Is registration.yaml listed in app_service_config_files, and was "
          + "Synapse restarted after generate-registration?";
      case "M_FORBIDDEN" -> homeserver + " refused the ping for appservice.id \""
          + config.appservice().id() + "\" (" + matrix.getMessage() + "). The id must match the "
          + "registration's id.";
      case "M_URL_NOT_SET" -> "the registration loaded by Synapse has no url. Run generate-registration "
          + "again and restart Synapse.";
      case "M_CONNECTION_FAILED" -> "Synapse cannot reach the bridge at " + bridgeUrl + " ("
          + matrix.getMessage() + "). Check appservice.address/hostname/port and the registration's url.";
      case "M_CONNECTION_TIMEOUT" -> "Synapse timed out reaching the bridge at " + bridgeUrl + ".";
      case "M_BAD_STATUS" -> "Synapse reached the bridge at " + bridgeUrl + " but got HTTP "
          + matrix.body().getValue("status") + ". Usually appservice.hs_token differs from the "
          + "registration Synapse loaded: regenerate and restart Synapse.";
      case "M_UNRECOGNIZED" -> homeserver + " does not support the appservice ping (Matrix 1.7). "
          + "Praatbrug needs Synapse 1.84 or newer.";
      default -> homeserver + ": ping failed: " + matrix + ".";
    };
  }
}
