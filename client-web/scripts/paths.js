import { fileURLToPath } from 'node:url';

/**
 * Where the build puts the client page: inside the Maven module's classes, so the jar carries it
 * and the bridge serves it from the classpath (`be.praatbrug.bridge.entry.EntryPage`).
 */
export const OUT_DIR = fileURLToPath(
  new URL('../target/classes/META-INF/resources/praatbrug/client-web/', import.meta.url));
