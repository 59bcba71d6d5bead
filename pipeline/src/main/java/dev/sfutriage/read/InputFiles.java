package dev.sfutriage.read;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Inputs in a local folder that cannot be read as files: a dangling symbolic link, a FIFO, a socket
 * or a device (Beam's file matching skips them without a trace; opening a FIFO would block the run),
 * a file without read permission. Each is counted as one dead-lettered record of its source with
 * the reason, so that the accounting shows it.
 */
public final class InputFiles {
  private InputFiles() {}

  /** Why the local input cannot be read, or null (readable, a folder, or not a local path). */
  public static @Nullable String unreadable(String resource) {
    Path p = local(resource);
    if (p == null) {
      return null;
    }
    if (Files.isSymbolicLink(p) && !Files.exists(p)) {
      String target;
      try {
        target = Files.readSymbolicLink(p).toString();
      } catch (IOException | UnsupportedOperationException e) {
        target = "?";
      }
      return "unreadable input (dangling symbolic link): its target " + target + " does not exist";
    }
    if (!Files.exists(p) || Files.isDirectory(p)) {
      return null;
    }
    if (!Files.isRegularFile(p)) {
      return "unreadable input (not a regular file): a FIFO, socket or device, not opened";
    }
    if (!Files.isReadable(p)) {
      return "unreadable input (permission denied): the file cannot be opened for reading";
    }
    return null;
  }

  /**
   * The entries a local glob ({@code /data/backend/*}) matches that are not regular files or folders:
   * what Beam's match leaves out. Empty for cloud paths and for globs in a folder name.
   */
  public static List<String> skippedByMatch(String pattern) {
    List<String> out = new ArrayList<>();
    Path p = local(pattern);
    Path parent = p == null ? null : p.getParent();
    if (parent == null || parent.toString().matches(".*[*?\\[{].*") || !Files.isDirectory(parent)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, p.getFileName().toString())) {
      for (Path e : entries) {
        if (!Files.isRegularFile(e) && !Files.isDirectory(e)) {
          out.add(e.toAbsolutePath().toString());
        }
      }
    } catch (IOException | RuntimeException e) {
      return out; // listing failed: Beam's own match reports what it can
    }
    out.sort(null);
    return out;
  }

  /** Whether a resource is on a remote file system (gs://, s3://…); a plain path and file:// are local. */
  public static boolean remote(String resource) {
    return resource.contains("://") && !resource.startsWith("file://");
  }

  private static @Nullable Path local(String resource) {
    if (remote(resource)) {
      return null;
    }
    try {
      return Paths.get(resource.startsWith("file://") ? resource.substring("file://".length()) : resource);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
