package be.praatbrug.it;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL database for a benchmark's Synapse ({@code PRAATBRUG_IT_SYNAPSE_POSTGRES}), dropped
 * and made again empty, with the 'C' collation Synapse refuses to start without.
 */
final class SynapseDatabase {

  private SynapseDatabase() {}

  /** {@code url}: postgresql://user:password@host:port/name, as synapse.sh --postgres takes it. */
  static void makeAnew(String url) throws SQLException {
    URI parsed = URI.create(url);
    String[] credentials = parsed.getUserInfo().split(":", 2);
    String name = parsed.getPath().substring(1);
    if (!name.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("PRAATBRUG_IT_SYNAPSE_POSTGRES: database name '" + name
          + "' must be letters, digits and _");
    }
    String maintenance = "jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort() + "/postgres";
    try (Connection connection = DriverManager.getConnection(maintenance, credentials[0], credentials[1]);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name);
      statement.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8' "
          + "LC_COLLATE 'C' LC_CTYPE 'C'");
    }
  }
}
