package dev.sfutriage.read;

import dev.sfutriage.model.Event;

/**
 * Device-clock correction from the export's own server-side information.
 *
 * <p>A server receipt can never precede the event, so a server time <em>before</em> the device
 * time means the device clock runs ahead by at least that much: the event is moved back onto the
 * server's time line and the skew is recorded. A server time after the device time is upload delay
 * (Analytics batches uploads, Crashlytics sends non-fatals on the next launch) or a slow clock; the
 * two cannot be told apart from one record, so the device time is kept and only the offset is
 * recorded.
 */
public final class ClockCorrection {
  private ClockCorrection() {}

  /**
   * @param serverMinusDevice server receipt minus device time, µs (GA's
   *     {@code event_server_timestamp_offset}, or Crashlytics {@code received - event}); null if unknown
   */
  public static void apply(Event.Builder b, long deviceMicros, Long serverMinusDevice, long toleranceMicros) {
    if (serverMinusDevice == null) {
      b.time(deviceMicros);
      return;
    }
    b.num("clock_offset_seconds", serverMinusDevice / 1e6);
    if (-serverMinusDevice > toleranceMicros) {
      b.time(deviceMicros, deviceMicros + serverMinusDevice);
      b.num("clock_skew_seconds", -serverMinusDevice / 1e6);
      b.attr("clock", "device clock ahead, corrected");
    } else {
      b.time(deviceMicros);
      b.num("clock_skew_seconds", 0d);
    }
  }
}
