import { fileURLToPath } from 'node:url';

/**
 * Where the build puts the widget: inside the Maven module's classes, so the jar carries it and
 * the bridge serves it from the classpath (`be.praatbrug.bridge.widget.WidgetAssets`).
 */
export const OUT_DIR = fileURLToPath(
  new URL('../target/classes/META-INF/resources/praatbrug/call-widget/', import.meta.url));
