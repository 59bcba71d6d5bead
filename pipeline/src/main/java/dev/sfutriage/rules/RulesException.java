package dev.sfutriage.rules;

/** An invalid rules file: the message names the file, the line and the problem. */
public final class RulesException extends RuntimeException {
  public RulesException(String message) {
    super(message);
  }
}
