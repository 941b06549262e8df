package be.praatbrug.bridge.rooms;

import be.praatbrug.policy.rules.Policy;
import be.praatbrug.policy.rules.PolicyException;
import be.praatbrug.policy.rules.PolicyParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The organisation's policies, read from {@code <policy_dir>/<name>.yaml}.
 *
 * <p>{@link #load()} reads files and blocks: call it from a worker thread. A reload either replaces
 * all policies or none: a broken file never leaves rooms without rules, and the old set stays in
 * force until the admin fixes it.
 *
 * <p>Policies saved through the admin API ({@link #putSaved}) stand over the file of the same name
 * and survive reloads: the files are the deployment's defaults, the saved versions the admins' edits.
 */
public final class PolicyRepository {

  private final Path directory;
  private final String ownServer;
  private final String configuredDefault;
  private final AtomicReference<Map<String, Policy>> policies = new AtomicReference<>(Map.of());
  private final Map<String, Policy> saved = new java.util.concurrent.ConcurrentHashMap<>();

  public PolicyRepository(Path directory, String ownServer, String configuredDefault) {
    this.directory = directory;
    this.ownServer = ownServer;
    this.configuredDefault = configuredDefault;
  }

  /** Reads and validates every policy file; replaces the current set only if all are valid. */
  public synchronized Map<String, Policy> load() throws PolicyException {
    if (!Files.isDirectory(directory)) {
      throw new PolicyException(List.of(directory + ": policy directory not found. Set rooms.policy_dir"));
    }
    Map<String, Policy> loaded = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
        String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
        try {
          Policy policy = PolicyParser.parse(file.toString(), name, Files.readString(file));
          if (!policy.allowsServerOf("@bot:" + ownServer)) {
            problems.add(file + " federation.allowed_servers: must include this homeserver ("
                + ownServer + "), or the server ACL would lock the bridge out of its own rooms");
          }
          loaded.put(name, policy);
        } catch (PolicyException e) {
          problems.addAll(e.problems());
        }
      }
    } catch (IOException e) {
      throw new PolicyException(List.of(directory + ": cannot read policies (" + e.getMessage() + ")"));
    }
    loaded.putAll(saved);
    if (loaded.isEmpty() && problems.isEmpty()) {
      problems.add(directory + ": no <name>.yaml policy files found");
    }
    String wantedDefault = defaultName();
    if (problems.isEmpty() && !loaded.containsKey(wantedDefault)) {
      problems.add(directory + ": the default policy '" + wantedDefault + "' has no file "
          + wantedDefault + ".yaml. Set rooms.default_policy to one of " + loaded.keySet());
    }
    problems.addAll(doorProblems(loaded));
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    policies.set(Map.copyOf(loaded));
    return loaded;
  }

  /**
   * Puts a policy saved through the admin API in force at once, over its file if there is one, and
   * keeps it there across reloads. Rooms follow at their next reconciliation.
   */
  public synchronized void putSaved(Policy policy) throws PolicyException {
    if (!policy.allowsServerOf("@bot:" + ownServer)) {
      throw new PolicyException(List.of(policy.name() + " federation.allowed_servers: must include "
          + "this homeserver (" + ownServer + "), or the server ACL would lock the bridge out"));
    }
    Map<String, Policy> next = new TreeMap<>(policies.get());
    next.put(policy.name(), policy);
    List<String> problems = doorProblems(next);
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    saved.put(policy.name(), policy);
    policies.set(Map.copyOf(next));
  }

  /** One door per organisation: two policies with a door section would leave the line ambiguous. */
  private List<String> doorProblems(Map<String, Policy> candidate) {
    List<String> withDoor = candidate.values().stream().filter(Policy::hasDoor).map(Policy::name).toList();
    return withDoor.size() <= 1 ? List.of() : List.of(directory + ": door: only one policy may have a "
        + "door section; found it in " + withDoor);
  }

  /** The other policy that has the door already, when {@code candidate} would be a second one. */
  public java.util.Optional<String> doorTakenBy(Policy candidate) {
    if (!candidate.hasDoor()) {
      return java.util.Optional.empty();
    }
    return policies.get().values().stream()
        .filter(policy -> policy.hasDoor() && !policy.name().equals(candidate.name()))
        .map(Policy::name).findFirst();
  }

  /** The policy whose rooms the door opens (the one with a door section), if any. */
  public java.util.Optional<Policy> door() {
    return policies.get().values().stream().filter(Policy::hasDoor).findFirst();
  }

  /** The file a policy of this name is read from (it may not exist: admins can add policies). */
  public Path file(String name) {
    return directory.resolve(name + ".yaml");
  }

  public Policy get(String name) {
    return policies.get().get(name);
  }

  /** Every policy by name. */
  public Map<String, Policy> all() {
    return policies.get();
  }

  public Set<String> names() {
    return policies.get().keySet();
  }

  /** Names of the policies that require consent on record before anyone is let in. */
  public Set<String> requiringConsent() {
    Set<String> names = new java.util.HashSet<>();
    policies.get().forEach((name, policy) -> {
      if (policy.consentRequired()) {
        names.add(name);
      }
    });
    return names;
  }

  /** The configured default, or the policy named after the server's first label (caw for caw.test). */
  public String defaultName() {
    return configuredDefault != null ? configuredDefault : ownServer.split("[.:]")[0];
  }
}
