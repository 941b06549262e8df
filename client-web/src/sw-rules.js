/**
 * What the service worker may keep: the page shell only (its HTML, built code, styles, icons and
 * manifest, all under the page's own scope). Never API answers, never anything from the
 * homeserver: messages and keys must not end up in a cache.
 *
 * @returns 'network-first' for the page itself, 'cache-first' for built files (their names carry
 *     a content hash), or null: do not touch the request.
 */
export function cacheRule(request, scope) {
  if (request.method !== 'GET') {
    return null;
  }
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    return null;
  }
  const path = url.pathname.slice(base.pathname.length);
  if (request.mode === 'navigate' || path === '' || path === 'index.html') {
    return 'network-first';
  }
  if (path.startsWith('assets/') || /^icon[\w-]*\.(png|svg)$/.test(path) || path === 'manifest.webmanifest') {
    return 'cache-first';
  }
  return null;
}
