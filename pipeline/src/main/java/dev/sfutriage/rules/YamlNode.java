package dev.sfutriage.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A YAML node that remembers its file and line, so every rules error can say where it is. */
final class YamlNode {
  private final String file;
  private final Node node;

  YamlNode(String file, Node node) {
    this.file = file;
    this.node = node;
  }

  RulesException error(String problem) {
    return new RulesException(file + ":" + (node.getStartMark().getLine() + 1) + ": " + problem);
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isList() {
    return node instanceof SequenceNode;
  }

  boolean isScalar() {
    return node instanceof ScalarNode;
  }

  /** Keys in file order; fails on a key outside {@code allowed} (catches typos like "wehre"). */
  Map<String, YamlNode> map(Set<String> allowed) {
    if (!isMap()) {
      throw error("expected a mapping");
    }
    Map<String, YamlNode> out = new LinkedHashMap<>();
    for (NodeTuple t : ((MappingNode) node).getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode)) {
        throw new YamlNode(file, t.getKeyNode()).error("expected a plain key");
      }
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      boolean definition = key.startsWith("x-") && allowed != null && allowed.contains("x-*");
      if (allowed != null && !allowed.contains(key) && !definition) {
        throw new YamlNode(file, t.getKeyNode()).error("unknown key '" + key + "' (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
      if (out.put(key, new YamlNode(file, t.getValueNode())) != null) {
        throw new YamlNode(file, t.getKeyNode()).error("duplicate key '" + key + "'");
      }
    }
    return out;
  }

  Map<String, YamlNode> map() {
    return map(null);
  }

  List<YamlNode> list() {
    if (!isList()) {
      throw error("expected a list");
    }
    List<YamlNode> out = new ArrayList<>();
    for (Node n : ((SequenceNode) node).getValue()) {
      out.add(new YamlNode(file, n));
    }
    return out;
  }

  /** A scalar, or a list of scalars, as strings. */
  List<String> strings() {
    if (isScalar()) {
      return List.of(text());
    }
    List<String> out = new ArrayList<>();
    for (YamlNode n : list()) {
      out.add(n.text());
    }
    return out;
  }

  String text() {
    if (!isScalar()) {
      throw error("expected a single value");
    }
    return ((ScalarNode) node).getValue();
  }

  /** The scalar typed as YAML would: number, boolean, or text. */
  Object value() {
    String s = text();
    ScalarNode sn = (ScalarNode) node;
    if (sn.isPlain()) {
      if (s.equals("true") || s.equals("false")) {
        return Boolean.valueOf(s);
      }
      try {
        return Double.valueOf(s);
      } catch (NumberFormatException e) {
        return s;
      }
    }
    return s;
  }

  int integer() {
    try {
      return Integer.parseInt(text().trim());
    } catch (NumberFormatException e) {
      throw error("expected a whole number, got '" + text() + "'");
    }
  }

  long duration() {
    try {
      return dev.sfutriage.util.Times.durationMicros(text());
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage());
    }
  }
}
