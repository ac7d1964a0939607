package dev.strata.apps;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Splits a text command line into arguments: spaces separate, double quotes group, {@code \"} escapes. */
final class Tokenizer {

  private Tokenizer() {
  }

  static List<Buffer> split(String line) {
    List<Buffer> out = new ArrayList<>();
    StringBuilder cur = null;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < line.length()) {
          char n = line.charAt(++i);
          cur.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n);
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        if (cur == null) {
          cur = new StringBuilder();
        }
        quoted = true;
      } else if (Character.isWhitespace(c)) {
        if (cur != null) {
          out.add(Buffer.buffer(cur.toString()));
          cur = null;
        }
      } else {
        if (cur == null) {
          cur = new StringBuilder();
        }
        cur.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unbalanced quotes in request");
    }
    if (cur != null) {
      out.add(Buffer.buffer(cur.toString()));
    }
    return out;
  }
}
