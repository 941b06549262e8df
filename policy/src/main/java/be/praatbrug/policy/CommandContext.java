package be.praatbrug.policy;

import be.praatbrug.policy.clients.KnownClient;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.Policy;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What command decisions may look at besides the message: the sender's open counselling rooms and
 * the policies that exist.
 *
 * @param senderRooms open rooms in which the sender is the counsellor, or that the sender referred
 *     to a partner from the direct chat the command came from
 * @param guestLocalpartPrefix accounts Praatbrug makes for clients; they are never counsellors
 * @param consentPolicies names of the policies that require consent before admission
 * @param consentOnRecord users named in the command whose consent is in the ledger
 * @param policies every loaded policy by name (referral and overleg rules live there)
 * @param clients who counts as a client, so a referral never goes to one
 * @param clientRecords the client records named in the command that exist, by reference
 * @param now the moment the command is decided at ({@code !afspraak morgen 9u30})
 * @param appointments the sender's planned sessions that have not ended, earliest first
 */
public record CommandContext(
    List<RoomSnapshot> senderRooms,
    Set<String> policyNames,
    String defaultPolicy,
    String guestLocalpartPrefix,
    Set<String> consentPolicies,
    Set<String> consentOnRecord,
    Map<String, Policy> policies,
    Clients clients,
    Map<String, KnownClient> clientRecords,
    java.time.Instant now,
    List<be.praatbrug.policy.appointments.PlannedAppointment> appointments) {

  public CommandContext {
    now = now == null ? java.time.Instant.EPOCH : now;
    appointments = appointments == null ? List.of() : List.copyOf(appointments);
    senderRooms = List.copyOf(senderRooms);
    policyNames = Set.copyOf(policyNames);
    consentPolicies = Set.copyOf(consentPolicies);
    consentOnRecord = Set.copyOf(consentOnRecord);
    policies = Map.copyOf(policies);
    clientRecords = Map.copyOf(clientRecords);
  }

  /** Without the moment and appointments (commands that do not plan). */
  public CommandContext(List<RoomSnapshot> senderRooms, Set<String> policyNames,
      String defaultPolicy, String guestLocalpartPrefix, Set<String> consentPolicies,
      Set<String> consentOnRecord, Map<String, Policy> policies, Clients clients,
      Map<String, KnownClient> clientRecords) {
    this(senderRooms, policyNames, defaultPolicy, guestLocalpartPrefix, consentPolicies,
        consentOnRecord, policies, clients, clientRecords, null, null);
  }

  /** The same, decided at {@code at} with the sender's planned sessions. */
  public CommandContext withAppointments(java.time.Instant at,
      List<be.praatbrug.policy.appointments.PlannedAppointment> planned) {
    return new CommandContext(senderRooms, policyNames, defaultPolicy, guestLocalpartPrefix,
        consentPolicies, consentOnRecord, policies, clients, clientRecords, at, planned);
  }

  /** Without client records named in the command. */
  public CommandContext(List<RoomSnapshot> senderRooms, Set<String> policyNames,
      String defaultPolicy, String guestLocalpartPrefix, Set<String> consentPolicies,
      Set<String> consentOnRecord, Map<String, Policy> policies, Clients clients) {
    this(senderRooms, policyNames, defaultPolicy, guestLocalpartPrefix, consentPolicies,
        consentOnRecord, policies, clients, Map.of());
  }

  public CommandContext(List<RoomSnapshot> senderRooms, Set<String> policyNames,
      String defaultPolicy, String guestLocalpartPrefix, Set<String> consentPolicies,
      Set<String> consentOnRecord) {
    this(senderRooms, policyNames, defaultPolicy, guestLocalpartPrefix, consentPolicies,
        consentOnRecord, Map.of(), new Clients(guestLocalpartPrefix, Set.of()));
  }

  /** Whether {@code policyName} is an overleg policy (professionals only). */
  public boolean isOverleg(String policyName) {
    Policy policy = policies.get(policyName);
    return policy != null && policy.isOverleg();
  }

  public CommandContext(List<RoomSnapshot> senderRooms, Set<String> policyNames,
      String defaultPolicy, String guestLocalpartPrefix) {
    this(senderRooms, policyNames, defaultPolicy, guestLocalpartPrefix, Set.of(), Set.of());
  }

  /** No rooms and no policies: for contexts where only {@code !hulp} matters. */
  public static CommandContext empty() {
    return new CommandContext(List.of(), Set.of(), "", "\u0000");
  }

  /** Whether {@code userId} may be let into {@code room} as far as consent goes. */
  public boolean consentAllows(RoomSnapshot room, String userId) {
    return !consentPolicies.contains(room.policyName()) || consentOnRecord.contains(userId);
  }
}
