package be.praatbrug.bridge.main;

import be.praatbrug.bridge.appservice.AppServiceApi;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.matrix.HttpMatrixClient;
import be.praatbrug.bridge.matrix.RetryPolicy;
import be.praatbrug.bridge.pipeline.DecisionProcessor;
import be.praatbrug.bridge.pipeline.MatrixActionExecutor;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.JdbcStore;
import be.praatbrug.bridge.store.Store;
import be.praatbrug.bridge.widget.WidgetAssets;
import be.praatbrug.bridge.widget.WidgetRoutes;
import be.praatbrug.policy.BotContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bridge: store, appservice API, homeserver client, wired into one startup chain.
 *
 * <p>Startup order matters: the HTTP server listens before the homeserver check, because the
 * homeserver answers our ping by calling us. Any failing phase undoes what was started and fails
 * with a {@link StartupException} that says what to fix.
 */
public final class BridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /** Synapse resends a failed transaction for a while, never for weeks. */
  private static final Duration KEEP_TRANSACTIONS = Duration.ofDays(30);
  private static final long PRUNE_EVERY_MS = Duration.ofHours(6).toMillis();

  private final BridgeConfig config;
  private final Clock clock;
  private Database database;
  private Store store;
  private HttpMatrixClient matrix;
  private HttpServer server;
  private AppServiceApi api;
  private long pruneTimer = -1;

  public BridgeVerticle(BridgeConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    return Database.open(vertx, config.database())
        .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.STORE,
            "database (" + config.database().type() + " " + config.database().uri() + "): "
                + failure.getMessage(), failure)))
        .compose(opened -> {
          database = opened;
          store = new JdbcStore(database);
          return listen();
        })
        .compose(listening -> HomeserverCheck.run(matrix, config))
        .onSuccess(roundTripMs -> {
          LOG.info("homeserver {} reached us back in {} ms", config.homeserver().domain(), roundTripMs);
          pruneTimer = vertx.setPeriodic(1, PRUNE_EVERY_MS, timer -> pruneTransactions());
          // Cosmetic, so it neither delays nor fails startup.
          matrix.setDisplayName(config.botUserId(), config.appservice().botDisplayname())
              .onFailure(failure -> LOG.warn("could not set the bot's display name: {}",
                  failure.toString()));
        })
        .onSuccess(ready -> LOG.info("Praatbrug ready: {} on {}:{} for {} (store: {})",
            config.botUserId(), config.appservice().hostname(), server.actualPort(),
            config.homeserver().address(), store.backend()))
        .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  private Future<HttpServer> listen() {
    BotContext context = new BotContext(config.botUserId(), config.homeserver().domain());
    matrix = new HttpMatrixClient(vertx, config.homeserver().address(),
        config.appservice().asToken(), config.botUserId(), RetryPolicy.DEFAULT);
    DecisionProcessor processor = new DecisionProcessor(context, new MatrixActionExecutor(matrix));
    api = new AppServiceApi(vertx, store, processor, config.appservice().hsToken(),
        config.appservice().maxBodyBytes(), clock);
    api.router().route(WidgetRoutes.PREFIX + "*").subRouter(new WidgetRoutes(vertx,
        WidgetAssets.fromClasspath(getClass().getClassLoader()), config.widget()).router());
    return vertx.createHttpServer()
        .requestHandler(api.router())
        .listen(config.appservice().port(), config.appservice().hostname())
        .onSuccess(started -> server = started)
        .recover(failure -> Future.failedFuture(new StartupException(StartupException.Phase.LISTEN,
            "appservice.hostname/port " + config.appservice().hostname() + ":"
                + config.appservice().port() + ": cannot listen (" + failure.getMessage()
                + "). Is another bridge already running?", failure)));
  }

  private void pruneTransactions() {
    store.deleteTransactionsBefore(clock.instant().minus(KEEP_TRANSACTIONS))
        .onSuccess(count -> LOG.debug("forgot {} old transaction ids", count))
        .onFailure(failure -> LOG.warn("pruning old transaction ids failed: {}", failure.toString()));
  }

  /** Room events handed to processing since start (for tests and metrics). */
  public long eventsHandled() {
    return api == null ? 0 : api.eventsHandled();
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  @Override
  public Future<?> stop() {
    if (pruneTimer >= 0) {
      vertx.cancelTimer(pruneTimer);
    }
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    return serverClosed
        .eventually(() -> database == null ? Future.succeededFuture() : database.close())
        .eventually(() -> {
          if (matrix != null) {
            matrix.close();
          }
          return Future.succeededFuture();
        });
  }
}
