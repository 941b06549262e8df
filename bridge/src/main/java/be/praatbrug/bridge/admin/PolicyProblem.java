package be.praatbrug.bridge.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing wrong with a policy an admin sent, tied to the field it is about, so the admin page can
 * show it next to that field.
 *
 * @param field dotted path, e.g. {@code retention.max_lifetime}; {@code (top level)} or empty when
 *     the problem is about the whole text
 * @param line line in the sent YAML, or 0 when unknown
 * @param kind {@code schema} (the policy schema), {@code syntax} (not YAML) or {@code floor} (the
 *     deployment's floor, see {@link PolicyFloor})
 */
public record PolicyProblem(String field, int line, String kind, String message) {

  /** {@code name:line field: message}, as {@link be.praatbrug.policy.rules.PolicyParser} words it. */
  private static final Pattern SCHEMA = Pattern.compile("^[^:\\s]+(?::(\\d+))? (\\S*) ?: (.*)$",
      Pattern.DOTALL);
  /** {@code name:line: message} about the whole text. */
  private static final Pattern WHOLE = Pattern.compile("^[^:\\s]+:(\\d+): (.*)$", Pattern.DOTALL);
  private static final Pattern SYNTAX = Pattern.compile("^[^:\\s]+:(\\d+):\\d+: (.*)$", Pattern.DOTALL);

  /** Reads the parser's problem lines back into fields; a line it cannot read stays whole. */
  public static PolicyProblem fromParser(String problem) {
    String text = problem.replace(" (top level): ", " : ");
    Matcher syntax = SYNTAX.matcher(text);
    if (syntax.matches()) {
      return new PolicyProblem("", Integer.parseInt(syntax.group(1)), "syntax", syntax.group(2));
    }
    Matcher whole = WHOLE.matcher(text);
    if (whole.matches()) {
      return new PolicyProblem("", Integer.parseInt(whole.group(1)), "schema", whole.group(2));
    }
    Matcher schema = SCHEMA.matcher(text);
    if (schema.matches()) {
      return new PolicyProblem(schema.group(2),
          schema.group(1) == null ? 0 : Integer.parseInt(schema.group(1)), "schema", schema.group(3));
    }
    return new PolicyProblem("", 0, "schema", problem);
  }

  public JsonObject toJson() {
    return new JsonObject().put("field", field).put("line", line).put("kind", kind)
        .put("message", message);
  }

  static JsonArray toJson(List<PolicyProblem> problems) {
    JsonArray array = new JsonArray();
    problems.forEach(problem -> array.add(problem.toJson()));
    return array;
  }
}
