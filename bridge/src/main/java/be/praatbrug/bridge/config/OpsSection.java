package be.praatbrug.bridge.config;

import java.util.List;

/**
 * Running the bridge in production: metrics, LAN discovery and leader election.
 *
 * @param metricsEnabled serve Prometheus metrics at {@code /metrics} on the internal listener
 * @param metricsHostname where the internal listener ({@code /metrics}, {@code /health/*}) listens:
 *     loopback or a private network, never the public one
 * @param metricsPort its port (0: any free port, for tests)
 * @param discoveryAnnounce announce the bridge on the LAN with multicast DNS ({@code _praatbrug._tcp})
 * @param discoveryName the announced instance name (default: the homeserver's server name)
 * @param discoveryAddress the address whose network hears the announcement (default: the host's)
 * @param electionRetrySeconds with PostgreSQL, how often a standby tries to become the leader
 */
public record OpsSection(boolean metricsEnabled, String metricsHostname, int metricsPort,
    boolean discoveryAnnounce, String discoveryName, String discoveryAddress, int electionRetrySeconds) {

  /** The internal listener's port unless configured. */
  public static final int DEFAULT_METRICS_PORT = 29340;

  static OpsSection from(YamlConfigFile yaml, String domain, int appservicePort) {
    int metricsPort = yaml.integer("metrics", "port", DEFAULT_METRICS_PORT, 0, 65535);
    if (metricsPort != 0 && metricsPort == appservicePort) {
      yaml.problem("metrics.port", metricsPort + " is appservice.port: the internal listener needs a"
          + " port of its own, one the reverse proxy does not forward");
    }
    return new OpsSection(
        flag(yaml, "metrics", "enabled", true),
        yaml.string("metrics", "hostname", "127.0.0.1"),
        metricsPort,
        flag(yaml, "discovery", "announce", false),
        yaml.string("discovery", "name", domain == null ? "praatbrug" : domain),
        yaml.string("discovery", "address", null),
        yaml.integer("election", "retry_seconds", 5, 1, 300));
  }

  private static boolean flag(YamlConfigFile yaml, String section, String key, boolean fallback) {
    String value = yaml.string(section, key, String.valueOf(fallback));
    if (!List.of("true", "false").contains(value)) {
      yaml.problem(section + "." + key, "\"" + value + "\" is not true or false");
      return fallback;
    }
    return "true".equals(value);
  }
}
