package be.praatbrug.bridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web front-end's built files, read from the classpath: the call widget's and the client page's
 * Maven modules put their Vite builds under {@code META-INF/resources/praatbrug/<name>/}.
 *
 * <p>Only files named in the build's {@code files.txt} exist for the web: a jar folder cannot be
 * listed, and a fixed list means no request path can reach any other classpath resource. Each file
 * is read on first request (blocking: call from a worker) and kept in memory; the largest are
 * WebAssembly files of a few megabytes.
 */
public final class BundledAssets {

  private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("wasm", "application/wasm"),
      Map.entry("tflite", "application/octet-stream"),
      Map.entry("binarypb", "application/octet-stream"),
      Map.entry("data", "application/octet-stream"),
      Map.entry("json", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("ico", "image/x-icon"));

  /** A servable file. */
  public record Asset(String path, byte[] bytes, String contentType, String etag) {}

  private final ClassLoader loader;
  private final String root;
  private final Set<String> paths;
  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  private BundledAssets(ClassLoader loader, String root, Set<String> paths) {
    this.loader = loader;
    this.root = root;
    this.paths = paths;
  }

  /**
   * Reads the file list under {@code root} (ending in a slash). Fails when the front-end is not on
   * the classpath, i.e. the bridge was built without its module.
   */
  public static BundledAssets fromClasspath(ClassLoader loader, String root) {
    try (InputStream list = loader.getResourceAsStream(root + "files.txt")) {
      if (list == null) {
        throw new IllegalStateException(root + "files.txt is not on the classpath;"
            + " build with the web modules (mvn package from the repository root)");
      }
      Set<String> paths = Set.copyOf(new String(list.readAllBytes(), StandardCharsets.UTF_8)
          .lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
      return new BundledAssets(loader, root, paths);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean exists(String path) {
    return paths.contains(path);
  }

  /** The file at {@code path} (relative, e.g. {@code assets/index-abc.js}); may block on first use. */
  public Optional<Asset> read(String path) {
    if (!exists(path)) {
      return Optional.empty();
    }
    return Optional.of(loaded.computeIfAbsent(path, this::load));
  }

  private Asset load(String path) {
    try (InputStream in = loader.getResourceAsStream(root + path)) {
      if (in == null) {
        throw new IllegalStateException("listed in files.txt but missing: " + path);
      }
      byte[] bytes = in.readAllBytes();
      return new Asset(path, bytes, contentType(path), "\"" + sha256(bytes).substring(0, 32) + "\"");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Content-Type for a file name; unknown kinds are served as opaque bytes, never sniffed. */
  public static String contentType(String path) {
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 ? "" : path.substring(dot + 1);
    return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
