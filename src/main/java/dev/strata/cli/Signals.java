package dev.strata.cli;

/**
 * SIGHUP, the Unix way to tell a daemon to re-read its configuration. The JDK's only handle on it is
 * {@code sun.misc.Signal} (module jdk.unsupported, exported for exactly this); where the platform has
 * no SIGHUP (Windows) the reload stays available through the admin API.
 */
final class Signals {

  private Signals() {
  }

  @SuppressWarnings("sunapi")
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException e) {
      System.err.println("strata: no SIGHUP on this platform (" + e.getMessage() + "); reload with POST /api/reload");
    }
  }
}
