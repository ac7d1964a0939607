package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: help text, config checking with precise errors. */
class CommandLineTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void helpExplainsOptionsAndSubcommands() {
    String[] r = run("--help");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).contains("--conf", "conf/strata.yaml", "check-config", "run", "STRATA_LISTENERS_ECHO_PORT");
  }

  @Test
  void checkConfigAcceptsTheDefaultFile() {
    assertThat(run("check-config")[0]).isEqualTo("0");
  }

  @Test
  void checkConfigRefusesABadFileWithExitCode2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "listeners:\n  - {name: a, port: 99999, codec: lines, address: app.a}\n");
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertThat(run("check-config", "--conf", bad.toString())[0]).isEqualTo("2");
    } finally {
      System.setErr(old);
    }
    assertThat(err.toString()).contains("listeners[0].port: 99999 is out of range 0..65535");
  }
}
