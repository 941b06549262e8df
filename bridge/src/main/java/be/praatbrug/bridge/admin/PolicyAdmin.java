package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.policy.rules.Policy;
import be.praatbrug.policy.rules.PolicyException;
import be.praatbrug.policy.rules.PolicyParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies through the admin API: list, read, validate, create, update.
 *
 * <p>A save goes: parse (schema, field-level problems) → floor → store as the next version (compare
 * and set on the version the admin edited) → in force → every room reconciled. Anything wrong
 * before the store step leaves nothing changed. Version 0 is the policy file as shipped.
 */
final class PolicyAdmin {

  static final String CONFLICT = "BE.PRAATBRUG.VERSION_CONFLICT";
  private static final Logger LOG = LoggerFactory.getLogger(PolicyAdmin.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");

  private final Vertx vertx;
  private final PolicyRepository policies;
  private final PolicyVersions versions;
  private final PolicyFloor floor;
  private final Reconciler reconciler;
  private final Clock clock;
  private final String ownServer;

  PolicyAdmin(Vertx vertx, PolicyRepository policies, PolicyVersions versions, PolicyFloor floor,
      Reconciler reconciler, Clock clock, String ownServer) {
    this.ownServer = ownServer;
    this.vertx = vertx;
    this.policies = policies;
    this.versions = versions;
    this.floor = floor;
    this.reconciler = reconciler;
    this.clock = clock;
  }

  /**
   * Puts the newest saved version of each policy in force (at startup). A saved text that no longer
   * parses (an older schema) is skipped with an error in the log, so its file applies.
   */
  Future<Integer> restoreSaved() {
    return versions.latestAll().map(latest -> {
      int restored = 0;
      for (PolicyVersions.Version version : latest) {
        try {
          policies.putSaved(PolicyParser.parse("policy " + version.name(), version.name(),
              version.source()));
          restored++;
        } catch (PolicyException e) {
          LOG.error("saved policy {} version {} is no longer valid, its file applies instead:\n{}",
              version.name(), version.version(), String.join("\n", e.problems()));
        }
      }
      return restored;
    });
  }

  void list(RoutingContext ctx) {
    versions.latestAll().onSuccess(saved -> {
      TreeSet<String> names = new TreeSet<>(policies.names());
      saved.forEach(version -> names.add(version.name()));
      JsonArray list = new JsonArray();
      for (String name : names) {
        Optional<PolicyVersions.Version> latest = saved.stream()
            .filter(version -> version.name().equals(name)).findFirst();
        Policy policy = policies.get(name);
        list.add(summary(name, latest).put("in_force", policy != null)
            .put("default", name.equals(policies.defaultName()))
            .put("max_lifetime", policy == null ? null : Durations.format(policy.maxLifetime())));
      }
      ctx.json(new JsonObject().put("policies", list));
    }).onFailure(ctx::fail);
  }

  void read(RoutingContext ctx) {
    String name = name(ctx.pathParam("name"));
    Future<Optional<PolicyVersions.Version>> latest = versions.latest(name);
    Future<List<PolicyVersions.Version>> history = versions.history(name);
    // The file counts only for a policy no admin saved yet.
    Future<Optional<String>> source = latest.compose(saved -> saved.isPresent()
        ? Future.succeededFuture(Optional.of(saved.get().source()))
        : vertx.executeBlocking(() -> Files.isRegularFile(policies.file(name))
            ? Optional.of(Files.readString(policies.file(name))) : Optional.<String>empty()));
    Future.all(latest, history, source).onSuccess(all -> {
      if (source.result().isEmpty()) {
        ctx.fail(new MatrixException(ErrCode.M_NOT_FOUND, "No policy named '" + name + "'"));
        return;
      }
      JsonArray versionsJson = new JsonArray();
      history.result().forEach(version -> versionsJson.add(new JsonObject()
          .put("version", version.version()).put("saved_by", version.savedBy())
          .put("saved_at", version.savedAt().toString())));
      JsonObject body = summary(name, latest.result()).put("yaml", source.result().get())
          .put("history", versionsJson);
      ctx.response().putHeader("ETag", etag(body.getInteger("version")));
      ctx.json(body);
    }).onFailure(ctx::fail);
  }

  /** Checks a text and says what saving it would change in the live rooms (a dry run). */
  void validate(RoutingContext ctx) {
    JsonObject body = AdminApi.body(ctx);
    String name = name(body.getString("name", policies.defaultName()));
    Policy policy = checked(name, body.getString("yaml"));
    reconciler.preview(policy).onSuccess(previews -> ctx.json(new JsonObject().put("valid", true)
        .put("name", name)
        .put("max_lifetime", Durations.format(policy.maxLifetime()))
        .put("max_humans", policy.maxHumans())
        .put("would_change", PolicyPreviews.toJson(previews))))
        .onFailure(ctx::fail);
  }

  void create(RoutingContext ctx) {
    JsonObject body = AdminApi.body(ctx);
    String name = name(body.getString("name"));
    Policy policy = checked(name, body.getString("yaml"));
    versions.latest(name).compose(latest -> {
      if (latest.isPresent() || policies.get(name) != null) {
        int current = latest.map(PolicyVersions.Version::version).orElse(0);
        return Future.failedFuture(conflict("A policy named '" + name + "' exists already; "
            + "update it instead", current));
      }
      return save(ctx, name, 0, body.getString("yaml"), policy);
    }).onSuccess(saved -> ctx.response().setStatusCode(201).putHeader("ETag",
            etag(saved.getInteger("version"))).putHeader("Content-Type", "application/json")
        .end(saved.encode()))
        .onFailure(ctx::fail);
  }

  void update(RoutingContext ctx) {
    String name = name(ctx.pathParam("name"));
    JsonObject body = AdminApi.body(ctx);
    int expected = expectedVersion(ctx, body);
    Policy policy = checked(name, body.getString("yaml"));
    // A policy in force needs no lookup; only an unknown name may still have a saved version.
    Future<Boolean> known = policies.get(name) != null ? Future.succeededFuture(true)
        : versions.latest(name).map(Optional::isPresent);
    known.compose(exists -> {
      if (!exists) {
        return Future.failedFuture(new MatrixException(ErrCode.M_NOT_FOUND,
            "No policy named '" + name + "'; create it with POST " + AdminApi.PREFIX + "/policies"));
      }
      return save(ctx, name, expected, body.getString("yaml"), policy);
    }).onSuccess(saved -> {
      ctx.response().putHeader("ETag", etag(saved.getInteger("version")));
      ctx.json(saved);
    }).onFailure(ctx::fail);
  }

  private Future<JsonObject> save(RoutingContext ctx, String name, int expected, String yaml,
      Policy policy) {
    String admin = ctx.get(AdminAuth.ADMIN_KEY);
    return versions.save(name, expected, yaml, admin, clock.instant())
        .recover(failure -> Future.failedFuture(failure instanceof PolicyVersions.Conflict conflict
            ? conflict("Someone saved '" + name + "' since you opened it (now version "
                + conflict.current() + "). Reload, redo your change, and save again.",
                conflict.current())
            : failure))
        .compose(saved -> {
          try {
            policies.putSaved(policy);
          } catch (PolicyException e) {
            return Future.failedFuture(e);
          }
          LOG.info("policy {} version {} saved by {}; reconciling rooms", name, saved.version(), admin);
          return reconciler.reconcileAll().map(repaired -> summary(name, Optional.of(saved))
              .put("rooms_repaired", repaired));
        });
  }

  /** Parses and checks against the floor; throws 400 with every problem at once. */
  private Policy checked(String name, String yaml) {
    if (yaml == null || yaml.isBlank()) {
      throw invalid(List.of(new PolicyProblem("", 0, "syntax", "yaml (the policy text) is missing")));
    }
    Policy policy;
    try {
      policy = PolicyParser.parse("policy", name, yaml);
    } catch (PolicyException e) {
      throw invalid(e.problems().stream().map(PolicyProblem::fromParser).toList());
    }
    List<PolicyProblem> problems = new ArrayList<>(floor.check(policy));
    Policy current = policies.get(policies.defaultName());
    if (current != null && !current.organisation().equals(policy.organisation())) {
      problems.add(new PolicyProblem("organisation", 0, "floor", "must stay '"
          + current.organisation() + "', this bridge's organisation"));
    }
    if (!policy.allowsServerOf("@bot:" + ownServer)) {
      problems.add(new PolicyProblem("federation.allowed_servers", 0, "floor", "must include this "
          + "homeserver (" + ownServer + "), or the server ACL would lock the bridge out"));
    }
    // Checked before anything is saved: a saved version the repository then refuses would be on
    // record but not in force.
    policies.doorTakenBy(policy).ifPresent(other -> problems.add(new PolicyProblem("door", 0, "floor",
        "only one policy may have the door on the website; '" + other + "' has it (remove the door "
        + "section here, or there first)")));
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return policy;
  }

  private static int expectedVersion(RoutingContext ctx, JsonObject body) {
    String ifMatch = ctx.request().getHeader("If-Match");
    Integer version = body.getInteger("version");
    if (ifMatch != null) {
      String digits = ifMatch.replaceAll("[^0-9]", "");
      if (digits.isEmpty()) {
        throw new MatrixException(ErrCode.M_INVALID_PARAM, "If-Match must be an ETag like \"v3\"");
      }
      version = Integer.parseInt(digits);
    }
    if (version == null) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "Say which version you edited: \"version\" "
          + "in the body or an If-Match header (from GET " + AdminApi.PREFIX + "/policies/{name})");
    }
    return version;
  }

  private static JsonObject summary(String name, Optional<PolicyVersions.Version> latest) {
    return new JsonObject().put("name", name)
        .put("version", latest.map(PolicyVersions.Version::version).orElse(0))
        .put("origin", latest.isPresent() ? "admin" : "file")
        .put("saved_by", latest.map(PolicyVersions.Version::savedBy).orElse(null))
        .put("saved_at", latest.map(version -> version.savedAt().toString()).orElse(null));
  }

  private static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "A policy name is 1-32 lowercase letters, "
          + "digits and dashes, e.g. caw");
    }
    return name;
  }

  private static String etag(int version) {
    return "\"v" + version + "\"";
  }

  static MatrixException invalid(List<PolicyProblem> problems) {
    return new MatrixException(ErrCode.M_INVALID_PARAM, ErrCode.M_INVALID_PARAM.name(), 400,
        "The policy is not valid; nothing was changed",
        new JsonObject().put("problems", PolicyProblem.toJson(problems)));
  }

  private static MatrixException conflict(String message, int current) {
    return new MatrixException(ErrCode.M_UNKNOWN, CONFLICT, 409, message,
        new JsonObject().put("current_version", current));
  }
}
