package be.praatbrug.bridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code logging.format: json}: each line slf4j-simple writes becomes one JSON object. */
class JsonLogLinesTest {

  @Test
  void turnsMessagesAndStackTracesIntoOneObjectPerLine() {
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    PrintStream json = JsonLogLines.over(new PrintStream(written, true, StandardCharsets.UTF_8));

    json.println("2026-11-24T03:55:21.123Z INFO BridgeVerticle - Praatbrug ready: \"quoted\"");
    json.println("2026-11-24T03:55:22.000Z ERROR Reconciler - repair failed");
    json.println("java.lang.IllegalStateException: boom");
    json.print("\tat be.praatbrug.Example.run(Example.java:1)\n");

    List<JsonObject> lines = written.toString(StandardCharsets.UTF_8).lines().map(JsonObject::new)
        .toList();
    assertEquals(4, lines.size());
    assertEquals(new JsonObject().put("ts", "2026-11-24T03:55:21.123Z").put("level", "INFO")
        .put("logger", "BridgeVerticle").put("msg", "Praatbrug ready: \"quoted\""), lines.get(0));
    assertEquals("ERROR", lines.get(1).getString("level"));
    assertEquals(new JsonObject().put("level", "ERROR").put("logger", "Reconciler")
        .put("stack", "java.lang.IllegalStateException: boom"), lines.get(2));
    assertEquals("\tat be.praatbrug.Example.run(Example.java:1)", lines.get(3).getString("stack"));
  }
}
