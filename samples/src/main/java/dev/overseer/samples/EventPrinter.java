package dev.overseer.samples;

import dev.overseer.SupervisorEvent;
import io.vertx.core.json.JsonObject;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/** Formats lifecycle events (as published on the event bus) one per line for a terminal. */
final class EventPrinter {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private EventPrinter() {
  }

  static String format(JsonObject event) {
    StringBuilder line = new StringBuilder()
        .append(LocalTime.now().format(TIME)).append("  ")
        .append(String.format("%-22s", event.getString("type")))
        .append(event.getString("supervisor"));
    if (event.containsKey("childId")) {
      line.append(" / ").append(event.getString("childId"));
    }
    JsonObject reason = event.getJsonObject("reason");
    if (reason != null) {
      line.append("  reason=").append(reason.getString("kind").toLowerCase());
      if (reason.containsKey("message")) {
        line.append(" (").append(reason.getString("error")).append(": ").append(reason.getString("message")).append(")");
      }
    }
    if (SupervisorEvent.Type.CHILD_RESTARTED.name().equals(event.getString("type"))) {
      line.append("  restarts=").append(event.getInteger("restartCount"));
    }
    return line.toString();
  }
}
