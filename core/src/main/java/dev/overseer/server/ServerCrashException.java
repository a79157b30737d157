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
    // no stack of its own: the log shows the stack trace once, the cause's, not this wrapper's
    super("server '" + report.name() + "' crashed: " + report.reason(), report.reason(), false, false);
    this.report = report;
  }

  @Override
  public CrashReport crashReport() {
    return report;
  }
}
