package dev.strata.apps;

/**
 * Redis's glob patterns (KEYS, SCAN MATCH), on bytes, as {@code stringmatchlen} in Redis's util.c
 * matches them: {@code *} any bytes, {@code ?} one byte, {@code [abc]} one of, {@code [^a]} none of,
 * {@code [a-z]} a range (either way round), {@code \x} the byte x itself, inside brackets too. A
 * bracket left open runs to the end of the pattern. Bytes compare unsigned.
 *
 * <pre>
 *   user:*      user:1  user:  (not usr:1)
 *   h?llo       hello hallo
 *   h[^e]llo    hallo (not hello)
 *   h[a-b]llo   hallo hbllo
 *   a\*b        a*b (not axb)
 * </pre>
 */
final class KvGlob {

  /** Redis's guard against patterns of many stars: deeper, nothing matches. */
  private static final int MAX_NESTING = 1000;

  private final byte[] pattern;
  private final boolean all;

  KvGlob(byte[] pattern) {
    this.pattern = pattern;
    boolean stars = pattern.length > 0;
    for (byte b : pattern) {
      stars &= b == '*';
    }
    this.all = stars;
  }

  /** Whether the pattern is {@code *} (or several): every key matches. */
  boolean matchesAll() {
    return all;
  }

  boolean matches(byte[] s) {
    return all || match(pattern, 0, s, 0, new boolean[1], 0);
  }

  /**
   * {@code stringmatchlen_impl}: {@code skipLonger} is set once a star found no match for the rest of
   * the pattern anywhere in the rest of the string; then no earlier star can do better.
   */
  private static boolean match(byte[] p, int pi, byte[] s, int si, boolean[] skipLonger, int nesting) {
    if (nesting > MAX_NESTING) {
      return false;
    }
    int pn = p.length;
    int sn = s.length;
    while (pi < pn && si < sn) {
      switch (p[pi]) {
        case '*' -> {
          while (pi + 1 < pn && p[pi + 1] == '*') {
            pi++;
          }
          if (pi + 1 == pn) {
            return true;
          }
          while (si < sn) {
            if (match(p, pi + 1, s, si, skipLonger, nesting + 1)) {
              return true;
            }
            if (skipLonger[0]) {
              return false;
            }
            si++;
          }
          skipLonger[0] = true;
          return false;
        }
        case '?' -> si++;
        case '[' -> {
          pi++;
          boolean not = pi < pn && p[pi] == '^';
          if (not) {
            pi++;
          }
          boolean match = false;
          int c = s[si] & 0xff;
          while (true) {
            if (pi >= pn) {
              pi--; // an open bracket: the loop below steps past the pattern's end
              break;
            } else if (p[pi] == '\\' && pn - pi >= 2) {
              pi++;
              match |= (p[pi] & 0xff) == c;
            } else if (p[pi] == ']') {
              break;
            } else if (pn - pi >= 3 && p[pi + 1] == '-') {
              int start = p[pi] & 0xff;
              int end = p[pi + 2] & 0xff;
              if (start > end) {
                int t = start;
                start = end;
                end = t;
              }
              pi += 2;
              match |= c >= start && c <= end;
            } else {
              match |= (p[pi] & 0xff) == c;
            }
            pi++;
          }
          if (not == match) {
            return false;
          }
          si++;
        }
        default -> {
          if (p[pi] == '\\' && pn - pi >= 2) {
            pi++;
          }
          if (p[pi] != s[si]) {
            return false;
          }
          si++;
        }
      }
      pi++;
      if (si == sn) {
        while (pi < pn && p[pi] == '*') {
          pi++;
        }
        break;
      }
    }
    return pi == pn && si == sn;
  }
}
