package be.praatbrug.policy.rules;

import java.util.List;

/** A policy file is unusable; each problem reads {@code file:line field: what is wrong}. */
public final class PolicyException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public PolicyException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
