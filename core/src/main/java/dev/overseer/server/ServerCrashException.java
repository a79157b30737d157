package dev.overseer.server;

import dev.overseer.CrashReport;

/**
 * The exit reason of a crashed {@link Server}: wraps what was thrown and carries the
 * {@link CrashReport}, so supervisors, events and the console show the last message and state.
 */
public class ServerCrashException extends RuntimeException implements CrashReport.Carrier {

  private final transient CrashReport report;

  /** @param report the crash report; its reason becomes this exception's cause */
  public ServerCrashException(CrashReport report) {
    super("server '" + report.name() + "' crashed: " + report.reason(), report.reason());
    this.report = report;
  }

  @Override
  public CrashReport crashReport() {
    return report;
  }
}
