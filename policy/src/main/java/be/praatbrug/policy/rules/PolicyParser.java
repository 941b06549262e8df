package be.praatbrug.policy.rules;

import be.praatbrug.policy.door.DoorSettings;
import be.praatbrug.policy.yaml.YamlLocations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns policy file text into a {@link Policy}: YAML syntax, then the published JSON Schema
 * ({@code policy.schema.json}), each problem pointing at file, line and field.
 *
 * <p>Pure: the caller reads the file; this only looks at the text.
 */
public final class PolicyParser {

  /** The published schema, on the classpath beside this class's package. */
  public static final String SCHEMA_RESOURCE = "/be/praatbrug/policy/policy.schema.json";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonSchema SCHEMA = loadSchema();

  private PolicyParser() {}

  /**
   * Parses one policy.
   *
   * @param fileName shown in messages, e.g. {@code policy/policies/caw.yaml}
   * @param name the policy's name (file name without extension)
   */
  public static Policy parse(String fileName, String name, String text) throws PolicyException {
    JsonNode root;
    Map<String, Integer> lines;
    try {
      root = YAML.readTree(text);
      lines = YamlLocations.keyLines(text);
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String position = where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr();
      throw new PolicyException(List.of(fileName + position + ": YAML syntax error: "
          + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new PolicyException(List.of(fileName + ":1: a policy must be a mapping of sections"));
    }
    List<String> problems = new ArrayList<>();
    SCHEMA.validate(root).stream()
        .sorted(Comparator.comparing(message -> message.getInstanceLocation().toString()))
        .forEach(message -> problems.add(describe(fileName, lines, message)));
    if (problems.isEmpty()) {
      problems.addAll(doorProblems(fileName, lines, root.path("door")));
      problems.addAll(familyProblems(fileName, lines, root));
    }
    if (!problems.isEmpty()) {
      throw new PolicyException(problems);
    }
    return toPolicy(name, root);
  }

  private static String describe(String fileName, Map<String, Integer> lines, ValidationMessage message) {
    String field = message.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "")
        .replaceAll("\\[\\d+]", "");
    // For "required" and "additionalProperties" the problem is a named key below that location.
    String property = message.getProperty();
    if (property != null && !property.isEmpty() && !field.endsWith(property)) {
      field = field.isEmpty() ? property : field + "." + property;
    }
    Integer line = lines.get(field);
    if (line == null) {
      line = lines.get(field.contains(".") ? field.substring(0, field.lastIndexOf('.')) : field);
    }
    String text = message.getMessage().replaceFirst("^\\$[^:]*: ", "");
    return fileName + (line == null ? "" : ":" + line) + " " + (field.isEmpty() ? "(top level)" : field)
        + ": " + text;
  }

  private static Policy toPolicy(String name, JsonNode root) {
    JsonNode levels = root.path("power_levels");
    Policy.PowerLevels defaults = Policy.PowerLevels.DEFAULT;
    List<String> servers = new ArrayList<>();
    root.path("federation").path("allowed_servers").forEach(server -> servers.add(server.asText()));
    return new Policy(
        name,
        root.path("organisation").asText(),
        root.path("language").asText("nl-BE"),
        root.path("members").path("max_humans").asInt(),
        root.path("room").path("join_rule").asText(),
        root.path("room").path("encryption_required").asBoolean(),
        root.path("room").path("history_visibility").asText(),
        root.path("room").path("guest_access").asText(),
        new Policy.PowerLevels(
            levels.path("counsellor").asInt(defaults.counsellor()),
            levels.path("invite").asInt(defaults.invite()),
            levels.path("kick").asInt(defaults.kick()),
            levels.path("ban").asInt(defaults.ban()),
            levels.path("redact").asInt(defaults.redact()),
            levels.path("state_default").asInt(defaults.stateDefault()),
            levels.path("events_default").asInt(defaults.eventsDefault())),
        duration(root.path("retention").path("max_lifetime").asText()),
        servers,
        root.path("calls").path("widget").asBoolean(false),
        root.path("calls").path("screen_share").asBoolean(false),
        root.path("consent").path("required").asBoolean(false),
        // Overleg rooms take no knocks; their policies may leave knock_codes out.
        duration(root.path("knock_codes").path("lifetime").asText("24h")),
        root.path("knock_codes").path("single_use").asBoolean(true),
        root.path("kind").asText(Policy.COUNSELLING),
        root.has("referral")
            ? new Policy.Referral(duration(root.path("referral").path("handover").asText())) : null,
        root.has("privacy") ? new Policy.Privacy(root.path("privacy").path("contact").asText(),
            text(root.path("privacy"), "email"), text(root.path("privacy"), "phone"),
            text(root.path("privacy"), "url")) : null,
        attachments(root.path("attachments")),
        appointments(root.path("appointments")),
        root.path("desk").has("idle_lock")
            ? new Policy.Desk(duration(root.path("desk").path("idle_lock").asText())) : null,
        root.has("door") ? door(root.path("door")) : null);
  }

  private static final Map<String, java.time.DayOfWeek> DAYS = Map.of("mon", java.time.DayOfWeek.MONDAY,
      "tue", java.time.DayOfWeek.TUESDAY, "wed", java.time.DayOfWeek.WEDNESDAY,
      "thu", java.time.DayOfWeek.THURSDAY, "fri", java.time.DayOfWeek.FRIDAY,
      "sat", java.time.DayOfWeek.SATURDAY, "sun", java.time.DayOfWeek.SUNDAY);

  /**
   * A family session is a counselling room with named places: knock codes, consent, at most
   * {@link Policy#FAMILY_MAX_HUMANS} people, and no way in for anyone unnamed (no door, no referral).
   */
  private static List<String> familyProblems(String fileName, Map<String, Integer> lines,
      JsonNode root) {
    List<String> problems = new ArrayList<>();
    if (!Policy.FAMILY.equals(root.path("kind").asText())) {
      return problems;
    }
    int humans = root.path("members").path("max_humans").asInt();
    if (humans < 3 || humans > Policy.FAMILY_MAX_HUMANS) {
      problems.add(fileName + where(lines, "members.max_humans") + " members.max_humans: a gezin room holds"
          + " the counsellor and 2 or 3 named people, so 3 or " + Policy.FAMILY_MAX_HUMANS + " (not "
          + humans + ")");
    }
    if (!"knock".equals(root.path("room").path("join_rule").asText())) {
      problems.add(fileName + where(lines, "room.join_rule") + " room.join_rule: a gezin room is entered by"
          + " knocking with a place's code, so knock");
    }
    if (!root.path("consent").path("required").asBoolean(false)) {
      problems.add(fileName + where(lines, "consent.required") + " consent.required: in a gezin room everyone"
          + " consents for themselves, so true");
    }
    for (String section : List.of("referral", "door")) {
      if (root.has(section)) {
        problems.add(fileName + where(lines, section) + " " + section + ": not available in a gezin room,"
            + " where only the named places get in; remove this section");
      }
    }
    return problems;
  }

  /** What the schema cannot say: a time zone that exists, spans that end after they start. */
  private static List<String> doorProblems(String fileName, Map<String, Integer> lines, JsonNode door) {
    List<String> problems = new ArrayList<>();
    if (door.isMissingNode()) {
      return problems;
    }
    if (door.has("time_zone")) {
      try {
        java.time.ZoneId.of(door.path("time_zone").asText());
      } catch (java.time.DateTimeException unknown) {
        problems.add(fileName + where(lines, "door.time_zone") + " door.time_zone: unknown time zone "
            + door.path("time_zone").asText());
      }
    }
    door.path("hours").fields().forEachRemaining(day -> day.getValue().forEach(text -> {
      DoorSettings.Span span = DoorSettings.Span.parse(text.asText());
      if (!span.untilMidnight() && !span.until().isAfter(span.from())) {
        String field = "door.hours." + day.getKey();
        problems.add(fileName + where(lines, field) + " " + field + ": " + text.asText()
            + " ends before it starts");
      }
    }));
    return problems;
  }

  private static String where(Map<String, Integer> lines, String field) {
    Integer line = lines.get(field);
    return line == null ? "" : ":" + line;
  }

  private static DoorSettings door(JsonNode section) {
    Map<java.time.DayOfWeek, List<DoorSettings.Span>> hours = new java.util.EnumMap<>(java.time.DayOfWeek.class);
    section.path("hours").fields().forEachRemaining(day -> {
      List<DoorSettings.Span> spans = new ArrayList<>();
      day.getValue().forEach(span -> spans.add(DoorSettings.Span.parse(span.asText())));
      hours.put(DAYS.get(day.getKey()), spans);
    });
    List<DoorSettings.CrisisLine> crisis = new ArrayList<>();
    section.path("crisis").forEach(line -> crisis.add(new DoorSettings.CrisisLine(
        line.path("name").asText(), line.path("number").asText(), text(line, "note"))));
    return new DoorSettings(section.path("places").asInt(), hours,
        java.time.ZoneId.of(section.path("time_zone").asText("Europe/Brussels")), crisis);
  }

  private static Policy.Attachments attachments(JsonNode section) {
    Policy.Attachments defaults = Policy.Attachments.DEFAULT;
    if (section.isMissingNode()) {
      return defaults;
    }
    List<String> types = new ArrayList<>();
    section.path("types").forEach(type -> types.add(type.asText()));
    return new Policy.Attachments(
        section.has("max_megabytes") ? section.path("max_megabytes").asLong() * 1_000_000L : defaults.maxBytes(),
        types.isEmpty() ? defaults.types() : types);
  }

  private static Policy.Appointments appointments(JsonNode section) {
    Policy.Appointments defaults = Policy.Appointments.DEFAULT;
    return new Policy.Appointments(
        section.has("open_before") ? duration(section.path("open_before").asText()) : defaults.openBefore(),
        section.has("reminder_before") ? duration(section.path("reminder_before").asText())
            : defaults.reminderBefore(),
        section.has("default_length") ? duration(section.path("default_length").asText())
            : defaults.defaultLength());
  }

  private static String text(JsonNode section, String field) {
    return section.hasNonNull(field) ? section.path(field).asText() : null;
  }

  /** {@code 30d}, {@code 24h}, {@code 90m}, {@code 45s}; the schema has checked the shape. */
  public static Duration duration(String text) {
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("not a duration: " + text);
    };
  }

  private static JsonSchema loadSchema() {
    try (InputStream in = PolicyParser.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the build");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + SCHEMA_RESOURCE, e);
    }
  }
}
