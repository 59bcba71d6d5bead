package dev.sfutriage.e2e;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.io.FileSystem;
import org.apache.beam.sdk.io.FileSystemRegistrar;
import org.apache.beam.sdk.io.fs.CreateOptions;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A Beam file system for {@code fakegcs://bucket/path}, registered for the tests through
 * META-INF/services (so the embedded Flink runner in the same JVM sees it too). Objects are files
 * under {@link #root}; like GCS it has no folders of its own (a folder emptied of objects is gone),
 * a rename is a copy and a delete, and globs are {@code *} within a segment and {@code **} across.
 * Every change is recorded in {@link #log} ("create|copy|delete <bucket/path>").
 */
public final class FakeGcsFileSystem extends FileSystem<FakeGcsFileSystem.Id> {
  public static final String SCHEME = "fakegcs";
  private static volatile @Nullable Path root;
  /** Every create, copy (to its destination) and delete, in order. */
  public static final List<String> log = Collections.synchronizedList(new ArrayList<>());

  /** Where the buckets live from now on; clears the log. */
  public static void useRoot(Path dir) throws IOException {
    Files.createDirectories(dir);
    root = dir;
    log.clear();
  }

  static Path local(Id id) {
    Path r = root;
    if (r == null) {
      throw new IllegalStateException("FakeGcsFileSystem.useRoot(...) first");
    }
    return r.resolve(id.path);
  }

  /** Registers the scheme. */
  public static final class Registrar implements FileSystemRegistrar {
    @Override
    public Iterable<FileSystem<?>> fromOptions(@Nullable PipelineOptions options) {
      return List.of(new FakeGcsFileSystem());
    }
  }

  /** {@code fakegcs://bucket/a/b} (a file) or {@code fakegcs://bucket/a/} (a folder). */
  public static final class Id implements ResourceId {
    /** {@code bucket/a/b}, or {@code bucket/a/} for a folder. */
    final String path;

    Id(String path) {
      this.path = path;
    }

    @Override
    public ResourceId resolve(String other, ResolveOptions options) {
      if (!isDirectory()) {
        throw new IllegalStateException("resolve against a file: " + this);
      }
      boolean dir = options == ResolveOptions.StandardResolveOptions.RESOLVE_DIRECTORY;
      return new Id(path + other + (dir && !other.endsWith("/") ? "/" : ""));
    }

    @Override
    public ResourceId getCurrentDirectory() {
      return isDirectory() ? this : new Id(path.substring(0, path.lastIndexOf('/') + 1));
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public @Nullable String getFilename() {
      String p = isDirectory() ? path.substring(0, path.length() - 1) : path;
      int slash = p.lastIndexOf('/');
      return slash < 0 ? null : p.substring(slash + 1);
    }

    @Override
    public boolean isDirectory() {
      return path.endsWith("/");
    }

    @Override
    public String toString() {
      return SCHEME + "://" + path;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Id && ((Id) o).path.equals(path);
    }

    @Override
    public int hashCode() {
      return Objects.hash(path);
    }
  }

  @Override
  protected String getScheme() {
    return SCHEME;
  }

  @Override
  protected Id matchNewResource(String spec, boolean isDirectory) {
    String p = strip(spec);
    if (!isDirectory && p.endsWith("/")) {
      throw new IllegalArgumentException("a file spec ends with '/': " + spec);
    }
    return new Id(isDirectory && !p.endsWith("/") ? p + "/" : p);
  }

  @Override
  protected List<MatchResult> match(List<String> specs) throws IOException {
    List<MatchResult> out = new ArrayList<>();
    for (String spec : specs) {
      String p = strip(spec);
      List<MatchResult.Metadata> found = new ArrayList<>();
      if (org.apache.beam.sdk.io.FileSystems.hasGlobWildcard(p)) {
        Pattern glob = glob(p);
        Path r = local(new Id(""));
        try (Stream<Path> all = Files.walk(r)) {
          for (Path f : (Iterable<Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
            String rel = r.relativize(f).toString();
            if (glob.matcher(rel).matches()) {
              found.add(metadata(new Id(rel)));
            }
          }
        }
      } else if (!p.endsWith("/") && Files.isRegularFile(local(new Id(p)))) {
        found.add(metadata(new Id(p)));
      }
      out.add(found.isEmpty() ? MatchResult.create(MatchResult.Status.NOT_FOUND, new FileNotFoundException(spec))
          : MatchResult.create(MatchResult.Status.OK, found));
    }
    return out;
  }

  @Override
  protected WritableByteChannel create(Id id, CreateOptions options) throws IOException {
    Path f = local(id);
    Files.createDirectories(f.getParent());
    log.add("create " + id.path);
    return Files.newByteChannel(f, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  @Override
  protected ReadableByteChannel open(Id id) throws IOException {
    try {
      return Files.newByteChannel(local(id), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(id.toString());
    }
  }

  @Override
  protected void copy(List<Id> from, List<Id> to) throws IOException {
    for (int i = 0; i < from.size(); i++) {
      Path target = local(to.get(i));
      Files.createDirectories(target.getParent());
      Files.copy(local(from.get(i)), target, StandardCopyOption.REPLACE_EXISTING);
      log.add("copy " + to.get(i).path);
    }
  }

  @Override
  protected void rename(List<Id> from, List<Id> to, MoveOptions... options) throws IOException {
    boolean ignoreMissing = Set.of(options).contains(MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    for (int i = 0; i < from.size(); i++) {
      if (ignoreMissing && !Files.exists(local(from.get(i)))) {
        continue;
      }
      copy(List.of(from.get(i)), List.of(to.get(i)));
      delete(List.of(from.get(i)));
    }
  }

  @Override
  protected void delete(Collection<Id> ids) throws IOException {
    for (Id id : ids) {
      Path f = local(id);
      if (!Files.isRegularFile(f)) {
        if (id.isDirectory()) {
          continue; // no such object: folders exist only through their objects
        }
        throw new FileNotFoundException(id.toString());
      }
      Files.delete(f);
      log.add("delete " + id.path);
      // The emptied "folders" go too, up to the bucket.
      Path bucket = local(new Id(id.path.substring(0, id.path.indexOf('/') + 1)));
      for (Path dir = f.getParent(); dir != null && dir.startsWith(bucket) && !dir.equals(bucket); dir = dir.getParent()) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            break;
          }
        }
        Files.delete(dir);
      }
    }
  }

  private static String strip(String spec) {
    if (!spec.startsWith(SCHEME + "://")) {
      throw new IllegalArgumentException("not a " + SCHEME + ":// path: " + spec);
    }
    return spec.substring(SCHEME.length() + 3);
  }

  private static MatchResult.Metadata metadata(Id id) throws IOException {
    Path f = local(id);
    return MatchResult.Metadata.builder().setResourceId(id).setSizeBytes(Files.size(f)).setIsReadSeekEfficient(true)
        .setLastModifiedMillis(Files.getLastModifiedTime(f).toMillis()).build();
  }

  /** GCS's wildcards: {@code **} any characters, {@code *} and {@code ?} within one segment. */
  private static Pattern glob(String p) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
