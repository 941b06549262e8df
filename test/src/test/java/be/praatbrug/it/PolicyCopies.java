package be.praatbrug.it;

/** Copies of a shipped policy under another name, as the ITs write them. */
final class PolicyCopies {

  private PolicyCopies() {}

  /** The policy without its {@code door:} section: only one policy may have the door (#27). */
  static String withoutDoor(String yaml) {
    return yaml.replaceAll("(?m)^door:\\n(?:[ #].*\\n|\\n)*", "");
  }
}
