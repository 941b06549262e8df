package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where an integration test's bridge keeps its store.
 *
 * <p>By default the embedded SQLite file the test names ({@code <dir>/bridge.db}). With
 * {@code PRAATBRUG_IT_STORE=postgres} (what {@code ./praatbrug test} sets) every such file becomes a
 * PostgreSQL database of its own on the test server ({@code PRAATBRUG_TEST_POSTGRES_URL}), made on
 * first use and kept while the test runs, so a bridge restarted on the same folder finds its data,
 * as with the file.
 */
final class ItStore {

  private static final String USER = "praatbrug";
  private static final String PASSWORD = "praatbrug";

  private ItStore() {}

  static boolean postgres() {
    return "postgres".equals(System.getenv("PRAATBRUG_IT_STORE"));
  }

  /**
   * Bridge settings (environment-style overrides) with the store moved to PostgreSQL when asked:
   * a {@code PRAATBRUG_DATABASE_URI} naming a {@code .db} file is replaced by its database.
   */
  static Map<String, String> apply(Map<String, String> overrides) {
    String uri = overrides.get("PRAATBRUG_DATABASE_URI");
    if (!postgres() || uri == null || !uri.endsWith(".db")) {
      return overrides;
    }
    Map<String, String> moved = new HashMap<>(overrides);
    moved.put("PRAATBRUG_DATABASE_TYPE", "postgres");
    moved.put("PRAATBRUG_DATABASE_URI", databaseFor(Path.of(uri)));
    moved.put("PRAATBRUG_DATABASE_USERNAME", USER);
    moved.put("PRAATBRUG_DATABASE_PASSWORD", PASSWORD);
    return moved;
  }

  /** The {@code database:} section of a config file for a bridge whose store file would be {@code file}. */
  static String yaml(Path file) {
    if (!postgres()) {
      return "database:\n  type: sqlite\n  uri: " + file + "\n";
    }
    return "database:\n  type: postgres\n  uri: " + databaseFor(file) + "\n  username: " + USER
        + "\n  password: " + PASSWORD + "\n";
  }

  /** Opens the bridge's store for a test to look inside. */
  static Connection open(DatabaseSection database) throws Exception {
    return "postgres".equals(database.type())
        ? DriverManager.getConnection(database.uri(), database.username(), database.password())
        : DriverManager.getConnection("jdbc:sqlite:" + database.uri());
  }

  /** Everything the store holds, as text: for checking that no secret or content is in it. */
  static String dump(DatabaseSection database) throws Exception {
    if (!"postgres".equals(database.type())) {
      return new String(Files.readAllBytes(Path.of(database.uri())), StandardCharsets.ISO_8859_1);
    }
    StringBuilder all = new StringBuilder();
    try (Connection connection = open(database);
        ResultSet tables = connection.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      while (tables.next()) {
        try (Statement query = connection.createStatement();
            ResultSet rows = query.executeQuery("SELECT * FROM " + tables.getString("TABLE_NAME"))) {
          ResultSetMetaData columns = rows.getMetaData();
          while (rows.next()) {
            for (int i = 1; i <= columns.getColumnCount(); i++) {
              byte[] value = rows.getBytes(i);
              all.append(value == null ? "" : new String(value, StandardCharsets.ISO_8859_1)).append('\n');
            }
          }
        }
      }
    }
    return all.toString();
  }

  /** The database standing in for {@code file}: created on first use, named after the path. */
  private static String databaseFor(Path file) {
    String server = System.getenv("PRAATBRUG_TEST_POSTGRES_URL");
    if (server == null || server.isBlank()) {
      throw new IllegalStateException("PRAATBRUG_IT_STORE=postgres needs PRAATBRUG_TEST_POSTGRES_URL"
          + " (start one with test/scripts/postgres.sh)");
    }
    String name = "it_" + sha256(file.toAbsolutePath().toString()).substring(0, 16);
    try (Connection connection = DriverManager.getConnection(server, USER, PASSWORD)) {
      boolean exists;
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT 1 FROM pg_database WHERE datname = ?")) {
        query.setString(1, name);
        try (ResultSet rows = query.executeQuery()) {
          exists = rows.next();
        }
      }
      if (!exists) {
        try (Statement create = connection.createStatement()) {
          create.execute("CREATE DATABASE " + name);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the test database " + name + " on " + server, e);
    }
    return server.substring(0, server.lastIndexOf('/') + 1) + name;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
