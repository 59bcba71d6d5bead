package dev.sfutriage.rules;

/**
 * Three-valued truth for a cause's conditions (Kleene logic): a condition about a source the run
 * did not read (or that gave no record in the window) is UNKNOWN, never silently false or true.
 * A cause whose condition is UNKNOWN is not concluded: the incident says its cause is undetermined
 * and names the missing sources.
 */
public enum Truth {
  TRUE, FALSE, UNKNOWN;

  public static Truth of(boolean b) {
    return b ? TRUE : FALSE;
  }

  public Truth and(Truth o) {
    if (this == FALSE || o == FALSE) {
      return FALSE;
    }
    return this == TRUE && o == TRUE ? TRUE : UNKNOWN;
  }

  public Truth or(Truth o) {
    if (this == TRUE || o == TRUE) {
      return TRUE;
    }
    return this == FALSE && o == FALSE ? FALSE : UNKNOWN;
  }

  public Truth not() {
    return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN;
  }
}
