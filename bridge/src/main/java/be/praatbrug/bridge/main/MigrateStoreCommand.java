package be.praatbrug.bridge.main;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.ConfigException;
import be.praatbrug.bridge.ledger.LedgerCli;
import be.praatbrug.bridge.store.StoreCopy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code migrate-store --to URL [--to-username USER]}: moves a bridge from its embedded SQLite
 * store to PostgreSQL. The password comes from {@code PRAATBRUG_MIGRATE_TO_PASSWORD}, never from
 * the command line (other users can read command lines). After the copy the ledger is verified
 * against the new database, exactly as {@code ledger verify} would with the new settings.
 */
final class MigrateStoreCommand {

  static final String PASSWORD_VARIABLE = "PRAATBRUG_MIGRATE_TO_PASSWORD";

  private MigrateStoreCommand() {}

  static int run(Path configFile, String targetUri, String targetUser, Map<String, String> env,
      PrintStream out, PrintStream err) throws ConfigException {
    if (targetUri == null) {
      err.println("migrate-store needs --to jdbc:postgresql://host:port/database");
      return 2;
    }
    BridgeConfig config = BridgeConfig.load(configFile, env, false);
    if (!"sqlite".equals(config.database().type())) {
      err.println("migrate-store copies from the embedded SQLite store, but database.type is "
          + config.database().type());
      return StartupException.Phase.CONFIG.exitCode();
    }
    String password = env.get(PASSWORD_VARIABLE);
    StoreCopy.Target target = new StoreCopy.Target(targetUri, targetUser, password);
    Map<String, Long> copied;
    try {
      copied = StoreCopy.copy(Path.of(config.database().uri()), target);
    } catch (SQLException e) {
      err.println("migrate-store failed, nothing was copied: " + e.getMessage());
      return StartupException.Phase.STORE.exitCode();
    }
    copied.forEach((table, rows) -> out.println("  " + table + ": " + rows + " rows"));

    Map<String, String> onTarget = new HashMap<>(env);
    onTarget.put("PRAATBRUG_DATABASE_TYPE", "postgres");
    onTarget.put("PRAATBRUG_DATABASE_URI", targetUri);
    if (targetUser != null) {
      onTarget.put("PRAATBRUG_DATABASE_USERNAME", targetUser);
    }
    if (password != null) {
      onTarget.put("PRAATBRUG_DATABASE_PASSWORD", password);
    }
    int verified = LedgerCli.run(configFile, new String[] {"verify"}, onTarget, out, err);
    if (verified != 0) {
      err.println("the copy is complete but its ledger did not verify; keep using SQLite and "
          + "report this");
      return verified;
    }
    out.println("Copied the store to " + targetUri + " and verified its ledger. Now set"
        + " database.type: postgres, database.uri, username and password (or PRAATBRUG_DATABASE_*)"
        + " and start the bridge; keep " + config.database().uri() + " as a backup.");
    return 0;
  }
}
