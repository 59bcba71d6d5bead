package dev.sfutriage.options;

import java.beans.Introspector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;

/**
 * Starts Beam's {@link PipelineOptionsFactory} with the option interfaces a command line names,
 * instead of every interface the class path registers.
 *
 * <p>When the factory starts, it validates each registered interface against all the others. This jar
 * registers 24 (the Flink, Spark and direct runners, GCP IO): that took 1.4 s of the 2.6 s the options
 * took before a run could start, and the Jackson module for Scala (on the class path for Spark) another
 * 0.3 s (docs/BENCHMARKS.md, "The start"). A one-ticket or one-seminar run from the index does the rest
 * of its work in about as long.
 *
 * <p>So the CLI starts the factory seeing no registrar and, for its option mapper, no Scala module; then
 * registers each interface that declares an option the command line names and the run's own ones do
 * not: {@code --fasterCopy} registers Flink's, {@code --project} GCP's, {@code --sparkMaster} Spark's.
 * What the command line does not name is not needed to parse it; a runner or IO asks for its options
 * with {@code as()}, which Beam validates when asked, registered or not. Parsing, defaults and errors
 * stay Beam's own ("missing a property named 'bogus'").
 *
 * <p>Only the CLI's {@code main} does this: its JVM parses one command line. Code that shares a JVM
 * with other Beam users (the tests, an embedding program) gets the factory as Beam starts it.
 */
public final class LeanOptions {
  static final String REGISTRARS = "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
  static final String JACKSON_MODULES = "META-INF/services/com.fasterxml.jackson.databind.Module";
  static final String SCALA_MODULE = "com.fasterxml.jackson.module.scala.";

  private static boolean started;

  private LeanOptions() {}

  /**
   * Starts the factory for these arguments (as Beam will parse them), once per JVM; before anything
   * else touches {@link PipelineOptionsFactory}. If something did, the factory is already started in
   * full and this only registers what is already registered.
   *
   * @return the interfaces registered for the arguments
   */
  public static synchronized Set<Class<? extends PipelineOptions>> start(String[] args) {
    Thread t = Thread.currentThread();
    ClassLoader real = t.getContextClassLoader() != null ? t.getContextClassLoader() : LeanOptions.class.getClassLoader();
    if (!started) {
      started = true;
      t.setContextClassLoader(new Hiding(real));
      try {
        PipelineOptionsFactory.getRegisteredOptions(); // the factory's static start, under the hiding loader
      } finally {
        t.setContextClassLoader(real);
      }
    }
    Set<String> known = properties(TriageOptions.class);
    for (Class<? extends PipelineOptions> c : PipelineOptionsFactory.getRegisteredOptions()) {
      known.addAll(properties(c));
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String a : args) {
      if (a.startsWith("--") && a.length() > 2) {
        String name = a.substring(2, a.contains("=") ? a.indexOf('=') : a.length());
        if (!known.contains(name)) {
          wanted.add(name);
        }
      }
    }
    Set<Class<? extends PipelineOptions>> registered = new LinkedHashSet<>();
    if (wanted.isEmpty()) {
      return registered;
    }
    for (PipelineOptionsRegistrar r : ServiceLoader.load(PipelineOptionsRegistrar.class, real)) {
      for (Class<? extends PipelineOptions> c : r.getPipelineOptions()) {
        if (!Collections.disjoint(properties(c), wanted)) {
          PipelineOptionsFactory.register(c);
          registered.add(c);
        }
      }
    }
    return registered; // a name no interface declares stays unknown: Beam refuses it, as it would anyway
  }

  /** The bean properties of an options interface (its getters, inherited ones too), by Beam's naming. */
  static Set<String> properties(Class<?> options) {
    Set<String> out = new HashSet<>();
    for (Method m : options.getMethods()) {
      if (m.getParameterCount() != 0) {
        continue;
      }
      String n = m.getName();
      if (n.startsWith("get") && n.length() > 3) {
        out.add(Introspector.decapitalize(n.substring(3)));
      } else if (n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
        out.add(Introspector.decapitalize(n.substring(2)));
      }
    }
    return out;
  }

  /**
   * The class loader the factory starts under: its own loader's classes and resources, except that it
   * lists no options registrar and no Jackson module for Scala.
   */
  static final class Hiding extends ClassLoader {
    Hiding(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      if (REGISTRARS.equals(name)) {
        return Collections.emptyEnumeration();
      }
      Enumeration<URL> found = super.getResources(name);
      if (!JACKSON_MODULES.equals(name)) {
        return found;
      }
      ByteArrayOutputStream kept = new ByteArrayOutputStream();
      for (URL u : Collections.list(found)) {
        try (InputStream in = u.openStream()) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
            if (!line.trim().startsWith(SCALA_MODULE)) {
              kept.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
          }
        }
      }
      return Collections.enumeration(java.util.List.of(inMemory(kept.toByteArray())));
    }
  }

  /** A URL whose content is these bytes (a provider list, for ServiceLoader). */
  private static URL inMemory(byte[] bytes) throws MalformedURLException {
    return new URL("sfu-triage", "", -1, "/" + JACKSON_MODULES, new InMemoryHandler(bytes));
  }

  private static final class InMemoryHandler extends URLStreamHandler {
    private final byte[] bytes;

    InMemoryHandler(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    protected URLConnection openConnection(URL u) {
      return new InMemoryConnection(u, bytes);
    }
  }

  private static final class InMemoryConnection extends URLConnection {
    private final byte[] bytes;

    InMemoryConnection(URL u, byte[] bytes) {
      super(u);
      this.bytes = bytes;
    }

    @Override
    public void connect() {}

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(bytes);
    }
  }
}
