package dev.sfutriage.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfutriage.RunConfig;
import dev.sfutriage.TriagePipeline;
import dev.sfutriage.model.Event;
import dev.sfutriage.options.TriageOptions;
import dev.sfutriage.rules.RuleSet;
import dev.sfutriage.rules.RulesLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;

/**
 * What grows with the number of sessions: no value of the job travels by Java serialization, no
 * session's facts are broadcast as a side input, and a bucket of participants receives the facts of
 * exactly the sessions its participants were in.
 */
class CostByKeyTest {
  @Test
  void noJavaSerializationAndNoFactsSideInputInTheNightlyJob() throws Exception {
    TriageOptions o = PipelineOptionsFactory.fromArgs("--inputDir=../fixtures", "--date=2026-11-23",
        "--output=" + Path.of("target", "cost-by-key").toAbsolutePath(), "--runner=DirectRunner").as(TriageOptions.class);
    RunConfig cfg = RunConfig.resolve(o);
    Pipeline p = Pipeline.create(o);
    TriagePipeline.build(p, cfg, Path.of("target", "cost-by-key-parts").toAbsolutePath().toString());
    List<String> serialized = new ArrayList<>();
    List<String> factsViews = new ArrayList<>();
    p.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public void visitValue(PValue value, TransformHierarchy.Node producer) {
        // Beam's own Create ships its file-name source that way, once: not a value of the job.
        if (value instanceof PCollection<?> pc && mentions(pc.getCoder(), SerializableCoder.class)
            && !pc.getCoder().toString().contains("BoundedSource")) {
          serialized.add(pc.getName() + ": " + pc.getCoder());
        }
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        for (PCollectionView<?> v : sideInputs(node)) {
          if (mentions(v.getPCollection().getCoder(), SessionFacts.FactsCoder.class)) {
            factsViews.add(node.getFullName());
          }
        }
      }
    });
    assertEquals(List.of(), serialized, "PCollections encoded by Java serialization");
    assertEquals(List.of(), factsViews, "steps that read session facts as a side input");
  }

  private static List<PCollectionView<?>> sideInputs(TransformHierarchy.Node node) {
    List<PCollectionView<?>> out = new ArrayList<>();
    if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> m) {
      out.addAll(m.getSideInputs().values());
    } else if (node.getTransform() instanceof ParDo.SingleOutput<?, ?> s) {
      out.addAll(s.getSideInputs().values());
    }
    return out;
  }

  /** Whether the coder or any coder inside it (KV, iterable, CoGbk union, …) is of the given kind. */
  static boolean mentions(Coder<?> coder, Class<?> kind) {
    if (kind.isInstance(coder)) {
      return true;
    }
    List<Coder<?>> inner = new ArrayList<>(coder.getCoderArguments());
    if (coder instanceof CoGbkResult.CoGbkResultCoder c) {
      inner.addAll(c.getUnionCoder().getElementCoders());
    }
    if (coder instanceof org.apache.beam.sdk.transforms.join.UnionCoder u) {
      inner.addAll(u.getElementCoders());
    }
    for (Coder<?> c : inner) {
      if (c != null && mentions(c, kind)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theNewCodersRoundTrip() throws Exception {
    UserPresence presence = new UserPresence.Fn().addInput(new UserPresence(),
        Event.builder("analytics", "x").time(5L).seminar("sem-1").user("u").location("a:1").build());
    new UserPresence.Fn().addInput(presence, Event.builder("analytics", "x").time(9L).seminar("sem-2").user("u").location("a:2").build());
    UserPresence back = CoderUtils.clone(UserPresence.PresenceCoder.of(), presence);
    assertEquals("sem-1", back.seminarAt(5L, 0));
    assertEquals("sem-2", back.seminarAt(9L, 0));
    assertEquals(2, back.spans.size());
    assertTrue(java.util.Arrays.equals(CoderUtils.encodeToByteArray(UserPresence.PresenceCoder.of(), presence),
        CoderUtils.encodeToByteArray(UserPresence.PresenceCoder.of(), back)), "deterministic");
    DataWindow w = CoderUtils.clone(DataWindow.WindowCoder.of(), new DataWindow(-3L, Long.MAX_VALUE));
    assertEquals(-3L, w.fromMicros);
    assertEquals(Long.MAX_VALUE, w.toMicros);
  }

  @Test
  void aBucketGetsTheFactsOfItsParticipantsSessionsOnly() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    RuleSet rules = RulesLoader.loadDefault(PipelineOptionsFactory.as(TriageOptions.class).getRoomNamePattern());
    List<KV<String, SessionFacts>> facts = new ArrayList<>();
    for (String[] s : new String[][] {{"sem-1", "a"}, {"sem-1", "b"}, {"sem-1", null}, {"sem-2", "c"}, {"sem-3", "d"}}) {
      facts.add(KV.of(SessionKey.of(s[0], s[1]), SessionFacts.empty(rules, s[0], s[1])));
    }
    List<KV<String, Event>> events = List.of(
        participant("sem-1", "a", "u1"), participant("sem-1", null, "u1"), participant("sem-2", "c", "u2"),
        participant("sem-2", "c", "u3"), participant("sem-1", "b", "u4"));
    PCollection<KV<String, SessionFacts>> factsPc = p.apply("Facts", Create.of(facts)
        .withCoder(KvCoder.of(StringUtf8Coder.of(), SessionFacts.FactsCoder.of())));
    PCollection<String> seen = p.apply("Events", Create.of(events).withCoder(KvCoder.of(StringUtf8Coder.of(),
            dev.sfutriage.model.EventCoder.of())))
        .apply(new FactsToParticipants(factsPc, 2))
        .apply(ParDo.of(new DescribeFn()));
    // Which bucket a participant falls in is the hash's business; what each bucket holds is not.
    Map<String, Integer> bucketOf = new TreeMap<>();
    for (KV<String, Event> e : events) {
      bucketOf.put(e.getKey(), dev.sfutriage.util.GroupIntoBuckets.bucket(e.getKey(), 2));
    }
    List<String> expected = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      TreeSet<String> people = new TreeSet<>();
      TreeSet<String> sessions = new TreeSet<>();
      for (KV<String, Event> e : events) {
        if (bucketOf.get(e.getKey()) == b) {
          people.add(e.getKey().replace('\u0001', '/'));
          sessions.add(SessionKey.of(e.getValue().seminarId, e.getValue().sessionId).replace('\u0001', '/'));
          sessions.add(SessionKey.of(e.getValue().seminarId, null).replace('\u0001', '/'));
        }
      }
      sessions.remove("sem-2/"); // no facts of sem-2's session-less events exist: none are sent
      if (!people.isEmpty()) {
        expected.add(b + " " + people + " " + sessions);
      }
    }
    PAssert.that(seen).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
    assertTrue(expected.stream().noneMatch(s -> s.contains("sem-3")), "sem-3 has no participant");
  }

  private static KV<String, Event> participant(String seminar, String session, String user) {
    return KV.of(SessionKey.participant(seminar, user), Event.builder("analytics", "livekit_x").time(1L).seminar(seminar)
        .session(session).user(user).location(seminar + ":" + session + ":" + user).build());
  }

  static final class DescribeFn extends DoFn<KV<Integer, Iterable<org.apache.beam.sdk.transforms.join.RawUnionValue>>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<org.apache.beam.sdk.transforms.join.RawUnionValue>> kv, OutputReceiver<String> out) {
      FactsToParticipants.Bucket b = FactsToParticipants.open(kv.getValue());
      TreeSet<String> people = new TreeSet<>();
      b.participants().keySet().forEach(k -> people.add(k.replace('\u0001', '/')));
      TreeSet<String> sessions = new TreeSet<>();
      b.facts().keySet().forEach(k -> sessions.add(k.replace('\u0001', '/')));
      out.output(kv.getKey() + " " + people + " " + sessions);
    }
  }
}
