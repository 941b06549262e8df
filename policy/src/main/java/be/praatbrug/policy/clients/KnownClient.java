package be.praatbrug.policy.clients;

/**
 * A client record the bridge found for a reference named in a command: the fact a command decision
 * needs, looked up before deciding so the decision stays pure.
 *
 * @param erased the record's personal data was erased: it takes no new sessions
 */
public record KnownClient(String ref, boolean erased) {}
