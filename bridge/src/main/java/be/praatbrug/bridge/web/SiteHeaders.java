package be.praatbrug.bridge.web;

/** The security and caching headers one bundled front-end's responses carry. */
public interface SiteHeaders {

  String contentSecurityPolicy();

  /** Which powerful browser features the page may use (camera, microphone, ...). */
  String permissionsPolicy();

  /** Cache-Control for a path below the site's prefix. */
  String cacheControl(String path);

  /** Vite names built files by content hash, so a name never changes meaning. */
  String IMMUTABLE = "public, max-age=31536000, immutable";
  /** Entry pages must be revalidated, so a new deploy reaches everyone at the next load. */
  String REVALIDATE = "no-cache";
  /** Files that keep their names across versions: cache a day, then revalidate by ETag. */
  String ONE_DAY = "public, max-age=86400";
}
