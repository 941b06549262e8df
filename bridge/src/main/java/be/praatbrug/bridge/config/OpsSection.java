package be.praatbrug.bridge.config;

import java.util.List;

/**
 * Running the bridge in production: metrics, LAN discovery and leader election.
 *
 * @param metricsEnabled serve Prometheus metrics at {@code /metrics} (keep it off the public proxy)
 * @param discoveryAnnounce announce the bridge on the LAN with multicast DNS ({@code _praatbrug._tcp})
 * @param discoveryName the announced instance name (default: the homeserver's server name)
 * @param discoveryAddress the address whose network hears the announcement (default: the host's)
 * @param electionRetrySeconds with PostgreSQL, how often a standby tries to become the leader
 */
public record OpsSection(boolean metricsEnabled, boolean discoveryAnnounce, String discoveryName,
    String discoveryAddress, int electionRetrySeconds) {

  static OpsSection from(YamlConfigFile yaml, String domain) {
    return new OpsSection(
        flag(yaml, "metrics", "enabled", true),
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
