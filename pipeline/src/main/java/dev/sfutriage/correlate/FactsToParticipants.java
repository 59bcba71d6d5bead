package dev.sfutriage.correlate;

import dev.sfutriage.model.Event;
import dev.sfutriage.util.GroupIntoBuckets;
import dev.sfutriage.util.OnePassJoin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Participants' events in hash buckets (as {@link GroupIntoBuckets}), each bucket joined by key with
 * the facts of exactly the sessions its participants have events in (plus their seminars' session-less
 * facts): no session's facts travel to a worker that does not need them, so the cost grows with the
 * data (a session's facts are copied at most once per bucket holding one of its participants), not
 * with sessions × workers as a broadcast side input did.
 *
 * <p>Input: events keyed by participant ({@link SessionKey#participant}); output: per bucket its
 * participants' events (participant key → event) and its facts (session key → facts), tagged, to be
 * read once ({@link OnePassJoin}: a CoGroupByKey re-reads a group over 10 000 values, which Flink
 * refuses at its defaults). {@link #open} turns one into the participants and a facts lookup.
 */
public final class FactsToParticipants
    extends PTransform<PCollection<KV<String, Event>>, PCollection<KV<Integer, Iterable<RawUnionValue>>>> {

  private final PCollection<KV<String, SessionFacts>> facts;
  private final int buckets;

  public FactsToParticipants(PCollection<KV<String, SessionFacts>> facts) {
    this(facts, GroupIntoBuckets.DEFAULT);
  }

  FactsToParticipants(PCollection<KV<String, SessionFacts>> facts, int buckets) {
    this.facts = facts;
    this.buckets = buckets;
  }

  @Override
  public PCollection<KV<Integer, Iterable<RawUnionValue>>> expand(PCollection<KV<String, Event>> participants) {
    Coder<Event> eventCoder = ((KvCoder<String, Event>) participants.getCoder()).getValueCoder();
    PCollection<KV<Integer, KV<String, Event>>> inBuckets = participants
        .apply("ToBucket", ParDo.of(new ToBucketFn(buckets)))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), eventCoder)));
    PCollection<KV<String, Integer>> needs = inBuckets
        .apply("SessionsOfBucket", ParDo.of(new NeedsFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of()))
        .apply("DistinctNeeds", Distinct.create());
    PCollection<KV<Integer, KV<String, SessionFacts>>> bucketFacts = needs
        .apply("JoinSessions", OnePassJoin.with(facts))
        .apply("FactsToBuckets", ParDo.of(new ToBucketsFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), SessionFacts.FactsCoder.of())));
    return inBuckets.apply("JoinBuckets", OnePassJoin.with(bucketFacts));
  }

  /** One bucket: its participants' events by participant key (keys in order), and the facts lookup. */
  public record Bucket(TreeMap<String, List<Event>> participants, Map<String, SessionFacts> facts) {}

  public static Bucket open(Iterable<RawUnionValue> bucket) {
    OnePassJoin.Sides<KV<String, Event>, KV<String, SessionFacts>> sides = OnePassJoin.split(bucket);
    Map<String, SessionFacts> facts = new HashMap<>();
    for (KV<String, SessionFacts> f : sides.right()) {
      facts.put(f.getKey(), f.getValue());
    }
    return new Bucket(GroupIntoBuckets.byKey(sides.left()), facts);
  }

  static final class ToBucketFn extends DoFn<KV<String, Event>, KV<Integer, KV<String, Event>>> {
    private final int buckets;

    ToBucketFn(int buckets) {
      this.buckets = buckets;
    }

    @ProcessElement
    public void process(@Element KV<String, Event> kv, OutputReceiver<KV<Integer, KV<String, Event>>> out) {
      out.output(KV.of(GroupIntoBuckets.bucket(kv.getKey(), buckets), kv));
    }
  }

  /** The sessions a participant event may ask the facts of: its own, and its seminar's session-less ones. */
  static final class NeedsFn extends DoFn<KV<Integer, KV<String, Event>>, KV<String, Integer>> {
    @ProcessElement
    public void process(@Element KV<Integer, KV<String, Event>> kv, OutputReceiver<KV<String, Integer>> out) {
      Event e = kv.getValue().getValue();
      out.output(KV.of(SessionKey.of(e.seminarId, null), kv.getKey()));
      if (e.sessionId != null) {
        out.output(KV.of(SessionKey.of(e.seminarId, e.sessionId), kv.getKey()));
      }
    }
  }

  /** A session's facts to each bucket that needs them (at most one per bucket, after the Distinct). */
  static final class ToBucketsFn extends DoFn<KV<String, Iterable<RawUnionValue>>, KV<Integer, KV<String, SessionFacts>>> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<RawUnionValue>> kv, OutputReceiver<KV<Integer, KV<String, SessionFacts>>> out) {
      OnePassJoin.Sides<Integer, SessionFacts> sides = OnePassJoin.split(kv.getValue());
      for (SessionFacts f : sides.right()) {
        for (Integer bucket : sides.left()) {
          out.output(KV.of(bucket, KV.of(kv.getKey(), f)));
        }
      }
    }
  }
}
