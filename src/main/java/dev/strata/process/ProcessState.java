package dev.strata.process;

/** Where one supervised process is; lower-case in JSON. */
public enum ProcessState {
  /** Started, not yet serving (it has not said it registered its address). */
  STARTING,
  /** Serving its address. */
  RUNNING,
  /** Exited unexpectedly; waiting to start again. */
  BACKOFF,
  /** Stopped on purpose (undeploy, shutdown). */
  STOPPED,
  /** Could not be started (no such program): not retried; the message says why. */
  FAILED
}
