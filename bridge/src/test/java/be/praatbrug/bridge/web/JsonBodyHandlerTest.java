package be.praatbrug.bridge.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonBodyHandlerTest {

  @Test
  void takesJsonOnly() {
    assertTrue(JsonBodyHandler.isJson("application/json"));
    assertTrue(JsonBodyHandler.isJson("Application/JSON; charset=utf-8"));
    assertTrue(JsonBodyHandler.isJson("application/merge-patch+json"));
    assertFalse(JsonBodyHandler.isJson("multipart/form-data; boundary=x"));
    assertFalse(JsonBodyHandler.isJson("application/x-www-form-urlencoded"));
    assertFalse(JsonBodyHandler.isJson("text/plain"));
  }
}
