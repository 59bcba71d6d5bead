package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/** What a reader yields: the kept records, the dead letters, and the accounting partials. */
public final class Parsed<T> implements POutput {
  public final PCollection<T> records;
  public final PCollection<DeadLetter> deadLetters;
  public final PCollection<KV<String, Long>> accounting;

  public Parsed(PCollection<T> records, PCollection<DeadLetter> deadLetters, PCollection<KV<String, Long>> accounting) {
    this.records = records;
    this.deadLetters = deadLetters;
    this.accounting = accounting;
  }

  @Override
  public Pipeline getPipeline() {
    return records.getPipeline();
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(new TupleTag<T>("records"), records, new TupleTag<DeadLetter>("deadLetters"), deadLetters,
        new TupleTag<KV<String, Long>>("accounting"), accounting);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, org.apache.beam.sdk.values.PInput input,
      PTransform<?, ?> transform) {}
}
