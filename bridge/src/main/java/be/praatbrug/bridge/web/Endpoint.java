package be.praatbrug.bridge.web;

import io.vertx.ext.web.Router;

/**
 * One area of the bridge's public HTTP side (an API, a page, a key): mounted on the appservice's
 * router at start, closed at stop in the reverse order of mounting, so nothing an area still
 * serves loses a part that a later area depends on.
 */
public interface Endpoint {

  /** Adds this area's routes to {@code parent}. */
  void mount(Router parent);

  /** Lets go of what the area holds (timers, clients); routes are gone with the server. */
  default void close() {}

  /** A sub-router mounted under a route pattern such as {@code /praatbrug/entry/*}. */
  static Endpoint at(String routePattern, Router router) {
    return parent -> parent.route(routePattern).subRouter(router);
  }
}
