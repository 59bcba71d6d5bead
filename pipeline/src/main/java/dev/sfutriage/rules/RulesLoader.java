package dev.sfutriage.rules;

import dev.sfutriage.model.Sources;
import dev.sfutriage.read.IngestConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates a rules file. Every problem fails fast with {@code file:line: problem};
 * nothing about a rule is checked later, at run time.
 */
public final class RulesLoader {
  public static final String DEFAULT_RESOURCE = "/dev/sfutriage/rules/default-rules.yaml";
  private static final Set<String> SEVERITIES = Set.of("low", "medium", "high", "critical");
  private static final Set<String> DURING = Set.of("session", "session_wait", "wait", "episode");
  private static final Set<String> METRIC_FNS = Set.of("increase", "growth", "max");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z0-9_.|]+)\\}");
  private static final Pattern PLACEHOLDER_OK =
      Pattern.compile("seminar_id|session_id|user_id|platform|count|first_seen|last_seen|missing|(trigger|cause)\\.[a-z0-9_]+");

  private final String file;
  private final Map<String, Integer> sessionIndex = new LinkedHashMap<>();
  private final List<Match> sessionMatches = new ArrayList<>();
  private long episodeGap;
  private long participantWindow;

  private RulesLoader(String file) {
    this.file = file;
  }

  /** The guide's rules shipped in the jar. */
  public static RuleSet loadDefault(String roomNamePattern) {
    try (InputStream in = RulesLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      return new RulesLoader("default-rules.yaml").load(new InputStreamReader(in, StandardCharsets.UTF_8), roomNamePattern);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in rules", e);
    }
  }

  public static RuleSet load(Path path, String roomNamePattern) {
    if (!Files.isRegularFile(path)) {
      throw new RulesException(path + ": rules file not found");
    }
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return new RulesLoader(path.toString()).load(r, roomNamePattern);
    } catch (IOException e) {
      throw new RulesException(path + ": cannot read rules file: " + e.getMessage());
    }
  }

  RuleSet load(Reader reader, String roomNamePattern) {
    Node rootNode;
    try {
      rootNode = new Yaml(new LoaderOptions()).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new RulesException(file + ":" + line + ": not valid YAML: " + e.getProblem());
    } catch (RuntimeException e) {
      throw new RulesException(file + ": not valid YAML: " + e.getMessage());
    }
    if (rootNode == null) {
      throw new RulesException(file + ":1: the rules file is empty");
    }
    YamlNode root = new YamlNode(file, rootNode);
    Map<String, YamlNode> top = root.map(Set.of("version", "settings", "ingest", "checklist", "sessions", "symptoms", "x-*"));
    YamlNode version = require(root, top, "version");
    if (version.integer() != 2) {
      throw version.error("unsupported rules version " + version.text() + " (this build reads version 2: episodes,"
          + " unless, count within, supersedes; see the header of the built-in default-rules.yaml)");
    }
    Map<String, YamlNode> settings = top.containsKey("settings")
        ? top.get("settings").map(Set.of("session_grace", "participant_window", "clock_skew_tolerance",
            "metrics_lookback", "user_attribution_window", "episode_gap"))
        : Map.of();
    long grace = duration(settings, "session_grace", "10m");
    long window = duration(settings, "participant_window", "2m");
    participantWindow = window;
    long skew = duration(settings, "clock_skew_tolerance", "2m");
    long lookback = duration(settings, "metrics_lookback", "10m");
    long userWindow = duration(settings, "user_attribution_window", "30m");
    episodeGap = duration(settings, "episode_gap", "5m");

    IngestConfig ingest = ingest(top.get("ingest"), skew, roomNamePattern);
    Map<String, YamlNode> sessions = require(root, top, "sessions").map(Set.of("start", "end"));
    Match start = match(require(top.get("sessions"), sessions, "start"));
    Match end = match(require(top.get("sessions"), sessions, "end"));

    List<Symptom> symptoms = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (YamlNode s : require(root, top, "symptoms").list()) {
      Symptom symptom = symptom(s);
      if (!ids.add(symptom.id)) {
        throw s.error("duplicate symptom id '" + symptom.id + "'");
      }
      symptoms.add(symptom);
    }
    if (symptoms.isEmpty()) {
      throw top.get("symptoms").error("no symptoms");
    }
    for (Symptom sym : symptoms) {
      for (String other : sym.supersedes) {
        Symptom o = symptoms.stream().filter(x -> x.id.equals(other)).findFirst().orElse(null);
        if (o == null || o == sym || o.scope != Symptom.Scope.PARTICIPANT || sym.scope != Symptom.Scope.PARTICIPANT) {
          throw top.get("symptoms").error("symptom '" + sym.id + "' supersedes '" + other
              + "', which must be another participant-scope symptom of this file");
        }
      }
    }
    List<String> checklist = top.containsKey("checklist") ? top.get("checklist").strings() : List.of();
    for (Symptom sym : symptoms) {
      for (int step : sym.checklist) {
        if (step < 1 || step > checklist.size()) {
          throw top.get("symptoms").error("symptom '" + sym.id + "' names checklist step " + step + ", but the checklist has "
              + checklist.size() + " steps");
        }
      }
    }
    return new RuleSet(file, grace, window, skew, lookback, userWindow, episodeGap, ingest, start, end, symptoms, checklist,
        sessionMatches);
  }

  private IngestConfig ingest(@Nullable YamlNode node, long skew, String roomNamePattern) {
    Map<String, List<String>> keep = new HashMap<>();
    List<String> paths = List.of();
    if (node != null) {
      Set<String> allowed = new HashSet<>(Sources.ALL);
      allowed.add("backend_http_paths");
      for (Map.Entry<String, YamlNode> e : node.map(allowed).entrySet()) {
        if (e.getKey().equals("backend_http_paths")) {
          paths = e.getValue().strings();
        } else {
          keep.put(e.getKey(), e.getValue().strings());
        }
      }
    }
    try {
      return new IngestConfig(keep, paths, skew, roomNamePattern);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new RulesException("--roomNamePattern is not a valid regular expression: " + e.getDescription());
    }
  }

  private Symptom symptom(YamlNode node) {
    Map<String, YamlNode> m = node.map(Set.of("id", "title", "guide", "scope", "checklist", "detect", "causes",
        "supersedes", "undetermined"));
    String id = require(node, m, "id").text();
    String title = m.containsKey("title") ? m.get("title").text() : id;
    String scopeText = require(node, m, "scope").text();
    Symptom.Scope scope;
    switch (scopeText) {
      case "participant":
        scope = Symptom.Scope.PARTICIPANT;
        break;
      case "session":
        scope = Symptom.Scope.SESSION;
        break;
      default:
        throw m.get("scope").error("scope must be 'participant' or 'session', got '" + scopeText + "'");
    }
    List<Integer> checklist = new ArrayList<>();
    if (m.containsKey("checklist")) {
      for (YamlNode n : m.get("checklist").list()) {
        checklist.add(n.integer());
      }
    }
    Detection detect = detection(require(node, m, "detect"), scope);
    List<Cause> causes = new ArrayList<>();
    Set<String> causeIds = new HashSet<>();
    List<YamlNode> causeNodes = require(node, m, "causes").list();
    if (causeNodes.isEmpty()) {
      throw m.get("causes").error("symptom '" + id + "' has no causes");
    }
    for (int i = 0; i < causeNodes.size(); i++) {
      Cause c = cause(causeNodes.get(i), scope);
      if (!causeIds.add(c.id)) {
        throw causeNodes.get(i).error("duplicate cause id '" + c.id + "' in symptom '" + id + "'");
      }
      if (i == causeNodes.size() - 1 && c.when != null) {
        throw causeNodes.get(i).error("the last cause of '" + id + "' must have no 'when', so that every incident gets a cause (usually 'unknown')");
      }
      causes.add(c);
    }
    String guide = m.containsKey("guide") ? m.get("guide").text() : "";
    List<String> supersedes = m.containsKey("supersedes") ? m.get("supersedes").strings() : List.of();
    String undetermined = m.containsKey("undetermined") ? m.get("undetermined").text()
        : title + ": the cause cannot be decided without {missing}.";
    if (m.containsKey("undetermined")) {
      placeholders(m.get("undetermined"), undetermined);
    }
    long context = participantWindow;
    List<Match> latest = new ArrayList<>();
    for (Cause c : causes) {
      List<Condition> all = new ArrayList<>(c.show);
      if (c.when != null) {
        all.add(c.when);
      }
      for (Condition cond : all) {
        context = Math.max(context, cond.contextMicros(participantWindow));
        cond.latestBefore(latest);
      }
    }
    return new Symptom(id, title, guide, scope, checklist, detect, causes, supersedes, undetermined, context, latest);
  }

  private Detection detection(YamlNode node, Symptom.Scope scope) {
    Map<String, YamlNode> m = node.map(Set.of("events", "count", "within", "episode", "absence"));
    if (m.containsKey("events") == m.containsKey("absence")) {
      throw node.error("detect needs exactly one of 'events' or 'absence'");
    }
    long gap = m.containsKey("episode") ? m.get("episode").duration() : episodeGap;
    long within = m.containsKey("within") ? m.get("within").duration() : -1L;
    Count count = m.containsKey("count") ? Count.parse(m.get("count")) : Count.AT_LEAST_ONE;
    if (!count.increasing() || count.n < 1) {
      throw m.get("count").error("a detection count must be 'at least' a positive number, e.g. 2 or \">= 2\"");
    }
    if (m.containsKey("absence")) {
      if (m.containsKey("within")) {
        throw m.get("within").error("'within' applies to event detections; an absence has 'wait'");
      }
      Map<String, YamlNode> a = m.get("absence").map(Set.of("anchor", "unless", "missing", "wait", "tolerance_before"));
      Detection.Detector anchor = detector(require(m.get("absence"), a, "anchor"), a.get("unless"), scope);
      Match missing = match(require(m.get("absence"), a, "missing"));
      if (scope == Symptom.Scope.SESSION) {
        indexForSession(anchor.match);
        indexForSession(missing);
      }
      long wait = require(m.get("absence"), a, "wait").duration();
      long before = a.containsKey("tolerance_before") ? a.get("tolerance_before").duration() : 0;
      return new Detection(List.of(), count, -1L, gap, new Detection.Absence(anchor, missing, wait, before));
    }
    List<Detection.Detector> events = new ArrayList<>();
    for (YamlNode n : m.get("events").list()) {
      Detection.Detector d;
      if (n.isMap() && n.map().containsKey("match")) {
        Map<String, YamlNode> dm = n.map(Set.of("match", "unless"));
        d = detector(dm.get("match"), dm.get("unless"), scope);
      } else {
        d = detector(n, null, scope);
      }
      if (scope == Symptom.Scope.SESSION) {
        indexForSession(d.match);
      }
      events.add(d);
    }
    return new Detection(events, count, within, gap, null);
  }

  /** A detecting match with its exclusions: {@code unless: [{match, before, after, within}]}. */
  private Detection.Detector detector(YamlNode matchNode, @Nullable YamlNode unlessNode, Symptom.Scope scope) {
    List<Detection.Exclusion> unless = new ArrayList<>();
    if (unlessNode != null) {
      if (scope != Symptom.Scope.PARTICIPANT) {
        throw unlessNode.error("'unless' looks at one user's events around a detecting event and is only allowed in participant scope");
      }
      for (YamlNode u : unlessNode.isList() ? unlessNode.list() : List.of(unlessNode)) {
        Map<String, YamlNode> um = u.map(Set.of("match", "before", "after", "within"));
        long within = um.containsKey("within") ? um.get("within").duration() : 0;
        long before = um.containsKey("before") ? um.get("before").duration() : within;
        long after = um.containsKey("after") ? um.get("after").duration() : within;
        if (before == 0 && after == 0) {
          throw u.error("unless needs a span: before, after or within (e.g. before: 5m)");
        }
        unless.add(new Detection.Exclusion(match(require(u, um, "match")), before, after));
      }
    }
    return new Detection.Detector(match(matchNode), unless);
  }

  private Cause cause(YamlNode node, Symptom.Scope scope) {
    Map<String, YamlNode> m = node.map(Set.of("id", "severity", "when", "show", "summary", "resolution", "shared",
        "needs"));
    String id = require(node, m, "id").text();
    String severity = require(node, m, "severity").text();
    if (!SEVERITIES.contains(severity)) {
      throw m.get("severity").error("severity must be one of " + SEVERITIES + ", got '" + severity + "'");
    }
    String summary = require(node, m, "summary").text();
    placeholders(m.get("summary"), summary);
    Condition when = m.containsKey("when") ? condition(m.get("when"), scope) : null;
    if (m.containsKey("needs")) {
      if (when == null) {
        throw m.get("needs").error("'needs' without 'when': a cause that always holds needs no source");
      }
      List<String> needs = m.get("needs").strings();
      for (String src : needs) {
        if (!Sources.ALL.contains(src) || Sources.TICKETS.equals(src)) {
          throw m.get("needs").error("unknown source '" + src + "' in needs (expected one of "
              + Sources.ALL.subList(0, Sources.ALL.indexOf(Sources.TICKETS)) + ")");
        }
      }
      when = new Condition.All(List.of(new Condition.Needs(needs), when));
    }
    List<Condition> show = new ArrayList<>();
    if (m.containsKey("show")) {
      for (YamlNode n : m.get("show").list()) {
        show.add(condition(n, scope));
      }
    }
    boolean shared = m.containsKey("shared") && Boolean.parseBoolean(m.get("shared").text());
    return new Cause(id, severity, when, show, summary, require(node, m, "resolution").text().trim(), shared);
  }

  private static void placeholders(YamlNode node, String template) {
    Matcher ph = PLACEHOLDER.matcher(template);
    while (ph.find()) {
      for (String name : ph.group(1).split("\\|")) {
        if (!PLACEHOLDER_OK.matcher(name).matches()) {
          throw node.error("unknown placeholder {" + ph.group(1) + "} (use seminar_id, session_id, user_id, platform, count,"
              + " first_seen, last_seen, missing, trigger.<field>, cause.<field>; a|b takes the first with a value)");
        }
      }
    }
  }

  private Condition condition(YamlNode node, Symptom.Scope scope) {
    if (node.isList()) {
      List<Condition> all = new ArrayList<>();
      for (YamlNode n : node.list()) {
        all.add(condition(n, scope));
      }
      return new Condition.All(all);
    }
    Map<String, YamlNode> m = node.map(Set.of("all", "any", "not", "trigger", "related", "expired", "session", "global", "metric"));
    if (m.size() != 1) {
      List<Condition> all = new ArrayList<>();
      for (Map.Entry<String, YamlNode> e : m.entrySet()) {
        all.add(single(e.getKey(), e.getValue(), scope));
      }
      return new Condition.All(all);
    }
    Map.Entry<String, YamlNode> e = m.entrySet().iterator().next();
    return single(e.getKey(), e.getValue(), scope);
  }

  private Condition single(String kind, YamlNode node, Symptom.Scope scope) {
    switch (kind) {
      case "all":
      case "any": {
        List<Condition> parts = new ArrayList<>();
        for (YamlNode n : node.list()) {
          parts.add(condition(n, scope));
        }
        return kind.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
      }
      case "not":
        return new Condition.Not(condition(node, scope));
      case "trigger":
        participantOnly(kind, node, scope);
        return new Condition.Trigger(new Match(Set.of(), Set.of(), where(node)));
      case "related": {
        participantOnly(kind, node, scope);
        Map<String, YamlNode> m = node.map(Set.of("match", "within", "count", "before"));
        return new Condition.Related(match(require(node, m, "match")),
            m.containsKey("within") ? m.get("within").duration() : -1L,
            m.containsKey("count") ? Count.parse(m.get("count")) : Count.AT_LEAST_ONE,
            m.containsKey("before") && Boolean.parseBoolean(m.get("before").text()));
      }
      case "expired": {
        participantOnly(kind, node, scope);
        Map<String, YamlNode> m = node.map(Set.of("match", "ttl_field"));
        return new Condition.Expired(match(require(node, m, "match")), require(node, m, "ttl_field").text());
      }
      case "session": {
        Map<String, YamlNode> m = node.map(Set.of("match", "count", "other_users"));
        Match match = match(require(node, m, "match"));
        indexForSession(match);
        boolean others = m.containsKey("other_users") && Boolean.parseBoolean(m.get("other_users").text());
        if (others && scope == Symptom.Scope.SESSION) {
          throw m.get("other_users").error("other_users is only meaningful in participant scope");
        }
        return new Condition.Session(match, m.containsKey("count") ? Count.parse(m.get("count")) : Count.AT_LEAST_ONE, others);
      }
      case "global": {
        Map<String, YamlNode> m = node.map(Set.of("match", "during", "count"));
        String during = m.containsKey("during") ? m.get("during").text() : "session";
        if (!DURING.contains(during)) {
          throw m.get("during").error("during must be one of " + DURING + ", got '" + during + "'");
        }
        return new Condition.Global(match(require(node, m, "match")), during,
            m.containsKey("count") ? Count.parse(m.get("count")) : Count.AT_LEAST_ONE);
      }
      case "metric": {
        Set<String> keys = new HashSet<>(Set.of("name", "fn", "during"));
        for (FieldPredicate.Op op : FieldPredicate.Op.values()) {
          keys.add(op.name().toLowerCase(java.util.Locale.ROOT));
        }
        Map<String, YamlNode> m = node.map(keys);
        String fn = require(node, m, "fn").text();
        if (!METRIC_FNS.contains(fn)) {
          throw m.get("fn").error("fn must be one of " + METRIC_FNS + ", got '" + fn + "'");
        }
        String during = m.containsKey("during") ? m.get("during").text() : "session";
        if (!DURING.contains(during)) {
          throw m.get("during").error("during must be one of " + DURING + ", got '" + during + "'");
        }
        List<FieldPredicate> cmp = new ArrayList<>();
        for (Map.Entry<String, YamlNode> e : m.entrySet()) {
          if (!Set.of("name", "fn", "during").contains(e.getKey())) {
            cmp.add(predicate("value", e.getKey(), e.getValue()));
          }
        }
        if (cmp.size() != 1) {
          throw node.error("metric needs exactly one comparison, e.g. gt: 0");
        }
        return new Condition.Metric(require(node, m, "name").text(), fn, during, cmp.get(0));
      }
      default:
        throw node.error("unknown condition '" + kind + "'");
    }
  }

  private static void participantOnly(String kind, YamlNode node, Symptom.Scope scope) {
    if (scope != Symptom.Scope.PARTICIPANT) {
      throw node.error("'" + kind + "' looks at one user's events and is only allowed in participant scope");
    }
  }

  private void indexForSession(Match m) {
    Integer idx = sessionIndex.get(m.key());
    if (idx == null) {
      idx = sessionMatches.size();
      sessionIndex.put(m.key(), idx);
      sessionMatches.add(m);
    }
    m.sessionIndex = idx;
  }

  private Match match(YamlNode node) {
    Map<String, YamlNode> m = node.map(Set.of("source", "event", "where"));
    Set<String> sources = new HashSet<>();
    if (m.containsKey("source")) {
      for (String s : m.get("source").strings()) {
        if (!Sources.ALL.contains(s)) {
          throw m.get("source").error("unknown source '" + s + "' (expected one of " + Sources.ALL + ")");
        }
        sources.add(s);
      }
    }
    Set<String> events = m.containsKey("event") ? new HashSet<>(m.get("event").strings()) : Set.of();
    List<FieldPredicate> where = m.containsKey("where") ? where(m.get("where")) : List.of();
    return new Match(sources, events, where);
  }

  private List<FieldPredicate> where(YamlNode node) {
    List<FieldPredicate> out = new ArrayList<>();
    for (Map.Entry<String, YamlNode> e : node.map().entrySet()) {
      YamlNode v = e.getValue();
      if (v.isMap()) {
        for (Map.Entry<String, YamlNode> op : v.map().entrySet()) {
          out.add(predicate(e.getKey(), op.getKey(), op.getValue()));
        }
      } else if (v.isList()) {
        out.add(predicate(e.getKey(), "in", v));
      } else {
        out.add(predicate(e.getKey(), "eq", v));
      }
    }
    return out;
  }

  private FieldPredicate predicate(String field, String opName, YamlNode value) {
    FieldPredicate.Op op;
    try {
      op = FieldPredicate.Op.valueOf(opName.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw value.error("unknown operator '" + opName + "' on field '" + field
          + "' (use eq, ne, in, not_in, gt, gte, lt, lte, contains, contains_any, not_contains, matches, exists)");
    }
    List<Object> values = new ArrayList<>();
    if (value.isList()) {
      for (YamlNode n : value.list()) {
        values.add(n.value());
      }
    } else {
      values.add(value.value());
    }
    boolean listOp = op == FieldPredicate.Op.IN || op == FieldPredicate.Op.NOT_IN || op == FieldPredicate.Op.CONTAINS_ANY;
    if (!listOp && values.size() != 1) {
      throw value.error("operator '" + opName + "' takes one value");
    }
    if (values.isEmpty()) {
      throw value.error("operator '" + opName + "' needs at least one value");
    }
    switch (op) {
      case GT:
      case GTE:
      case LT:
      case LTE:
        if (!(values.get(0) instanceof Double)) {
          throw value.error("operator '" + opName + "' needs a number, got '" + values.get(0) + "'");
        }
        break;
      case EXISTS:
        if (!(values.get(0) instanceof Boolean)) {
          throw value.error("exists takes true or false");
        }
        break;
      case MATCHES:
        try {
          Pattern.compile(String.valueOf(values.get(0)));
        } catch (java.util.regex.PatternSyntaxException e) {
          throw value.error("not a valid regular expression: " + e.getDescription());
        }
        break;
      default:
    }
    return new FieldPredicate(field, op, values);
  }

  private static long duration(Map<String, YamlNode> m, String key, String dflt) {
    return m.containsKey(key) ? m.get(key).duration() : dev.sfutriage.util.Times.durationMicros(dflt);
  }

  private static YamlNode require(YamlNode parent, Map<String, YamlNode> m, String key) {
    YamlNode n = m.get(key);
    if (n == null) {
      throw parent.error("missing '" + key + "'");
    }
    return n;
  }
}
