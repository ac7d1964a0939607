package dev.strata.exchange;

/**
 * An error as one value among others: an element of a {@link ValueList#replies} list, such as the
 * reply of one command inside Redis's EXEC ({@code -WRONGTYPE ...} in the array while its neighbours
 * succeeded). A whole request that fails is {@code message.fail(code, text)}, not this.
 *
 * @param text the error as the client sees it, starting with its code: {@code "ERR syntax error"}
 */
public record ErrorValue(String text) {

  public ErrorValue {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("an error value needs a text");
    }
  }
}
