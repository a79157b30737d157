package dev.overseer.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * What a fuzz target saw: inputs tried, rejected with a clear error, accepted, state changes
 * (an input that changed what it must not), deaths (a supervisor or server that stopped) and
 * unclear errors (an exception that is not the API's error type, or no error message). The
 * first few problems are kept with their inputs for the failure message.
 */
public final class Tally {

  private static final int KEEP = 8;

  private final String target;
  private final long seed;
  /** Inputs tried. */
  public long tried;
  /** Inputs refused with a clear error. */
  public long rejected;
  /** Inputs accepted (valid, or harmless). */
  public long accepted;
  /** Inputs that changed state they must not change. */
  public long stateChanges;
  /** Supervisors or servers that stopped. */
  public long deaths;
  /** Errors that were not clear (wrong exception type, no message, no reply). */
  public long unclear;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param target what is fuzzed
   * @param seed the seed of the run
   */
  public Tally(String target, long seed) {
    this.target = target;
    this.seed = seed;
  }

  /**
   * Records a problem with the input that caused it.
   *
   * @param what what went wrong
   * @param input the input
   */
  public synchronized void problem(String what, Object input) {
    if (problems.size() < KEEP) {
      String text;
      try {
        text = String.valueOf(input);
      } catch (RuntimeException e) {
        text = "(input not printable: " + e.getMessage() + ")";
      }
      problems.add(what + " <- " + (text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " chars)" : text));
    }
  }

  /** @return the first problems kept */
  public synchronized List<String> problems() {
    return new ArrayList<>(problems);
  }

  /** @return whether nothing went wrong */
  public boolean clean() {
    return stateChanges == 0 && deaths == 0 && unclear == 0;
  }

  /** Prints the counts: one line a CI log can be grepped for ({@code FUZZ-COUNTS}). */
  public void print() {
    System.out.println(summary());
  }

  /** @return the counts and the first problems as text */
  public String summary() {
    return "FUZZ-COUNTS target=" + target + " seed=" + seed + " tried=" + tried + " rejected=" + rejected
        + " accepted=" + accepted + " stateChanges=" + stateChanges + " deaths=" + deaths + " unclear=" + unclear
        + (problems.isEmpty() ? "" : "\n  " + String.join("\n  ", problems()));
  }
}
