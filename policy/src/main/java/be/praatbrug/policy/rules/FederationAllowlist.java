package be.praatbrug.policy.rules;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Synapse's {@code federation_domain_whitelist}, made from the same {@code allowed_servers} lists
 * as the rooms' {@code m.room.server_acl}, so the homeserver and the rooms keep out the same
 * servers.
 *
 * <p>The two differ in how they match, which is why this keeps names exactly as written: Synapse
 * compares the whole server name, port included ({@code clb.test:8448} is not {@code clb.test}),
 * while server ACLs compare the host only (see {@link Policy#aclServers()}). An empty list blocks
 * all federation; the own server never needs listing.
 */
public final class FederationAllowlist {

  private FederationAllowlist() {}

  /** Every partner server of every policy, sorted, without {@code ownServer}. */
  public static List<String> servers(Collection<Policy> policies, String ownServer) {
    TreeSet<String> servers = new TreeSet<>();
    policies.forEach(policy -> servers.addAll(policy.allowedServers()));
    servers.removeIf(server -> Objects.equals(server, ownServer));
    return List.copyOf(servers);
  }

  /** The snippet for homeserver.yaml. */
  public static String yaml(Collection<Policy> policies, String ownServer) {
    List<String> servers = servers(policies, ownServer);
    StringBuilder text = new StringBuilder("# From Praatbrug's policies (federation.allowed_servers). Exact\n"
        + "# server names, port included where a name has one; [] blocks all federation.\n");
    if (servers.isEmpty()) {
      return text.append("federation_domain_whitelist: []\n").toString();
    }
    text.append("federation_domain_whitelist:\n");
    servers.forEach(server -> text.append("  - ").append(server).append('\n'));
    return text.toString();
  }
}
