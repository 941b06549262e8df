package be.praatbrug.bridge.config;

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
}
