package be.praatbrug.bridge.store;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database backends every store test runs against.
 *
 * <p>SQLite always; PostgreSQL when the test command provides a server through
 * {@code praatbrug.test.postgres.url}. CI sets {@code PRAATBRUG_REQUIRE_POSTGRES=1}, which turns a
 * missing server into a failure instead of a quietly smaller test run.
 */
public final class TestDatabases {

  private TestDatabases() {}

  public static DatabaseSection sqlite(Path directory) {
    return new DatabaseSection("sqlite", directory.resolve("praatbrug.db").toString(), null, null, 1);
  }

  /** A clean PostgreSQL database (schema dropped), or {@code null} when none is configured. */
  public static DatabaseSection postgres() {
    String url = System.getProperty("praatbrug.test.postgres.url", "");
    if (url.isBlank() || url.startsWith("${")) {
      if ("1".equals(System.getenv("PRAATBRUG_REQUIRE_POSTGRES"))) {
        throw new IllegalStateException("PRAATBRUG_REQUIRE_POSTGRES=1 but PRAATBRUG_TEST_POSTGRES_URL "
            + "is not set: start one with test/scripts/postgres.sh");
      }
      return null;
    }
    DatabaseSection section = new DatabaseSection("postgres", url, "praatbrug", "praatbrug", 4);
    try (Connection connection = DriverManager.getConnection(url, "praatbrug", "praatbrug");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reset the PostgreSQL test database at " + url, e);
    }
    return section;
  }

  /** Every available backend, as "name" → section factory input for parameterised tests. */
  public static List<String> backends() {
    List<String> names = new ArrayList<>(List.of("sqlite"));
    String url = System.getProperty("praatbrug.test.postgres.url", "");
    if ((!url.isBlank() && !url.startsWith("${")) || "1".equals(System.getenv("PRAATBRUG_REQUIRE_POSTGRES"))) {
      names.add("postgres");
    }
    return names;
  }

  public static DatabaseSection forBackend(String backend, Path directory) {
    return "sqlite".equals(backend) ? sqlite(directory) : postgres();
  }
}
