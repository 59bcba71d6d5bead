package dev.sfutriage.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An event's attribute map behaves as the unmodifiable TreeMap it replaces: the same order, lookups,
 * printing, equality and hash in both directions, whatever order its entries arrive in; and it cannot
 * be changed.
 */
class SortedArrayMapTest {
  @Test
  void behavesAsTheTreeMapOfTheSameEntries() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      Map<String, Object> given = new HashMap<>();
      int n = random.nextInt(12);
      for (int i = 0; i < n; i++) {
        String key = random.nextInt(3) == 0 ? "Ünïcode_" + random.nextInt(20) : "k" + random.nextInt(30);
        given.put(key, random.nextBoolean() ? (Object) ("v" + i) : (Object) (long) i);
      }
      TreeMap<String, Object> tree = new TreeMap<>(given);
      Map<String, Object> expected = Collections.unmodifiableMap(tree);
      List<Map<String, Object>> made = new ArrayList<>();
      made.add(SortedArrayMap.copyOf(given)); // from a hash map: any order
      made.add(SortedArrayMap.copyOf(tree)); // already sorted
      List<String> keys = new ArrayList<>(given.keySet());
      Collections.shuffle(keys, random);
      String[] k = keys.toArray(new String[0]);
      Object[] v = keys.stream().map(given::get).toArray();
      made.add(SortedArrayMap.owning(k.clone(), v.clone(), k.length)); // a decoder's arrays, shuffled
      for (Map<String, Object> m : made) {
        assertEquals(expected, m);
        assertEquals(m, expected);
        assertEquals(expected.hashCode(), m.hashCode());
        assertEquals(expected.toString(), m.toString());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(m.keySet()));
        assertEquals(new ArrayList<>(expected.values()), new ArrayList<>(m.values()));
        for (String key : List.of("k1", "k29", "Ünïcode_3", "", "zzz")) {
          assertEquals(expected.get(key), m.get(key), key);
          assertEquals(expected.containsKey(key), m.containsKey(key), key);
        }
        assertNull(m.get(42));
        assertEquals(expected.size(), m.size());
        assertEquals(expected.isEmpty(), m.isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> m.put("x", "y"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
          out.writeObject(m);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
          assertEquals(expected, in.readObject());
        }
      }
    }
  }

  @Test
  void withAddsOrReplacesOneEntryAndLeavesTheOriginal() {
    SortedArrayMap<String> m = SortedArrayMap.copyOf(Map.of("b", "2", "d", "4"));
    assertEquals(new TreeMap<>(Map.of("a", "1", "b", "2", "d", "4")), m.with("a", "1"));
    assertEquals(new TreeMap<>(Map.of("b", "2", "c", "3", "d", "4")), m.with("c", "3"));
    assertEquals(new TreeMap<>(Map.of("b", "2", "d", "4", "e", "5")), m.with("e", "5"));
    assertEquals(new TreeMap<>(Map.of("b", "two", "d", "4")), m.with("b", "two"));
    assertEquals(new TreeMap<>(Map.of("b", "2", "d", "4")), m, "unchanged");
    assertEquals(Map.of("x", "1"), SortedArrayMap.<String>of().with("x", "1"));
  }

  @Test
  void aRepeatedKeyInADecodersArraysKeepsItsLastValueAsPutsWould() {
    SortedArrayMap<String> m = SortedArrayMap.owning(new String[] {"b", "a", "b"}, new Object[] {"1", "2", "3"}, 3);
    assertEquals(new TreeMap<>(Map.of("a", "2", "b", "3")), m);
    assertTrue(SortedArrayMap.owning(new String[4], new Object[4], 0).isEmpty());
    assertSame(m, SortedArrayMap.copyOf(m));
    assertFalse(m.containsKey(null));
  }
}
