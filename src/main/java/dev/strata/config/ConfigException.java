package dev.strata.config;

/** A configuration error, naming the key's path ({@code listeners[1].port}) and the reason. */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String reason) {
    super(reason, null, false, false);
    this.key = key;
  }

  /** The key's path, relative to where the error was raised until the loader prefixes it. */
  public String key() {
    return key;
  }

  public String reason() {
    return super.getMessage();
  }

  @Override
  public String getMessage() {
    return key == null || key.isEmpty() ? reason() : key + ": " + reason();
  }

  ConfigException under(String prefix) {
    String k = key == null || key.isEmpty() ? prefix : prefix.isEmpty() ? key : prefix + "." + key;
    return new ConfigException(k, reason());
  }
}
