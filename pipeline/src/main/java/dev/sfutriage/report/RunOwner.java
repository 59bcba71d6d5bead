package dev.sfutriage.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which run a staging or set folder belongs to, written into its name ({@code <8 hex>-pid<pid>-t<start
 * millis>}): the next run removes the folders of runs whose process is gone (a kill -9, a crash, a lost
 * container) and leaves those of a run still going. The start time tells a reused pid apart; in this
 * process, a tag lives until it is released (a failed commit's set is then as dead as a killed one's).
 */
final class RunOwner {
  private static final Pattern TAG = Pattern.compile("-pid(\\d+)-t(\\d+)$");
  private static final ProcessHandle SELF = ProcessHandle.current();
  /** The tags of this process still in use: several runs may share one JVM (the tests do). */
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

  private RunOwner() {}

  /** A fresh folder-name suffix owned by this process, in use until {@link #release}. */
  static String newTag() {
    String tag = UUID.randomUUID().toString().substring(0, 8) + "-pid" + SELF.pid() + "-t" + startMillis(SELF).orElse(0L);
    LIVE.add(tag);
    return tag;
  }

  /** The folder named with this tag is no longer in use by this process. */
  static void release(String tagged) {
    LIVE.removeIf(tagged::endsWith);
  }

  /**
   * True when {@code name} ends in a tag whose process is gone; a name without a tag (an earlier
   * version's folder) counts as dead when it was last changed before this process started.
   */
  static boolean isDead(Path folder) {
    Matcher m = TAG.matcher(folder.getFileName().toString());
    if (!m.find()) {
      try {
        Instant self = SELF.info().startInstant().orElse(Instant.now());
        return Files.getLastModifiedTime(folder).toInstant().isBefore(self);
      } catch (java.io.IOException e) {
        return false;
      }
    }
    long pid = Long.parseLong(m.group(1));
    long started = Long.parseLong(m.group(2));
    if (pid == SELF.pid()) {
      String name = folder.getFileName().toString();
      return LIVE.stream().noneMatch(name::endsWith);
    }
    Optional<ProcessHandle> owner = ProcessHandle.of(pid);
    if (owner.isEmpty() || !owner.get().isAlive()) {
      return true;
    }
    Optional<Long> ownerStart = startMillis(owner.get());
    return started != 0 && ownerStart.isPresent() && ownerStart.get() != started;
  }

  private static Optional<Long> startMillis(ProcessHandle p) {
    return p.info().startInstant().map(Instant::toEpochMilli);
  }
}
