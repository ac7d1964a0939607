package dev.strata.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies a child's stdout or stderr into the node's log, a line at a time, on a daemon thread of its
 * own (the read blocks; it must not hold an event loop or a worker for the child's lifetime). A line
 * is cut at {@link #MAX_LINE} bytes, so a child that writes without newlines cannot fill the heap.
 */
final class OutputPump implements Runnable {

  static final int MAX_LINE = 8 * 1024;

  private final InputStream in;
  private final Consumer<String> line;

  private OutputPump(InputStream in, Consumer<String> line) {
    this.in = in;
    this.line = line;
  }

  static void start(String threadName, InputStream in, Consumer<String> line) {
    Thread t = new Thread(new OutputPump(in, line), threadName);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void run() {
    byte[] chunk = new byte[4096];
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    boolean cut = false; // the current line passed MAX_LINE: drop the rest of it
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n') {
            emit(current, cut);
            current.reset();
            cut = false;
          } else if (current.size() < MAX_LINE) {
            current.write(b);
          } else if (!cut) {
            cut = true;
          }
        }
      }
    } catch (IOException e) {
      // the stream closes when the process exits or is killed: nothing more to copy
    }
    if (current.size() > 0) {
      emit(current, cut);
    }
  }

  private void emit(ByteArrayOutputStream bytes, boolean cut) {
    String text = bytes.toString(StandardCharsets.UTF_8);
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    StringBuilder clean = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // no control characters in the node's log: a child cannot forge log lines with CR or escapes
      clean.append(c < 0x20 && c != '\t' || c == 0x7f ? '?' : c);
    }
    if (cut) {
      clean.append(" ...(line cut at ").append(MAX_LINE).append(" bytes)");
    }
    line.accept(clean.toString());
  }
}
