package be.praatbrug.bridge.ops;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code logging.format: json}: turns the log lines slf4j-simple writes into one JSON object per
 * line ({@code ts}, {@code level}, {@code logger}, {@code msg}), for log collectors.
 *
 * <p>Works on the formatted line rather than inside the logger so the text and JSON logs carry the
 * very same messages: whatever the code keeps out of the text log (tokens, message content) stays
 * out of the JSON log too. Lines of a stack trace become objects with {@code stack} instead of
 * {@code msg}, tagged with the logger and level of the message they belong to.
 */
public final class JsonLogLines extends OutputStream {

  /** The layout Main configures for slf4j-simple: date, level, short logger name, message. */
  private static final Pattern LINE =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\S+) (TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$");

  private final PrintStream target;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private String lastLevel = "INFO";
  private String lastLogger = "";

  private JsonLogLines(PrintStream target) {
    this.target = target;
  }

  /** A stream to install with {@link System#setErr} that writes JSON lines to {@code target}. */
  public static PrintStream over(PrintStream target) {
    return new Stream(new JsonLogLines(target));
  }

  /** The installed stream, recognisable so it is never wrapped twice. */
  public static final class Stream extends PrintStream {
    Stream(JsonLogLines lines) {
      super(lines, true, StandardCharsets.UTF_8);
    }
  }

  @Override
  public synchronized void write(int b) {
    if (b == '\n') {
      flushLine();
    } else {
      line.write(b);
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      write(bytes[i]);
    }
  }

  @Override
  public synchronized void flush() {
    target.flush();
  }

  private void flushLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    target.println(toJson(text).encode());
  }

  JsonObject toJson(String text) {
    Matcher matcher = LINE.matcher(text);
    if (matcher.matches()) {
      lastLevel = matcher.group(2);
      lastLogger = matcher.group(3);
      return new JsonObject().put("ts", matcher.group(1)).put("level", lastLevel)
          .put("logger", lastLogger).put("msg", matcher.group(4));
    }
    return new JsonObject().put("level", lastLevel).put("logger", lastLogger).put("stack", text);
  }
}
