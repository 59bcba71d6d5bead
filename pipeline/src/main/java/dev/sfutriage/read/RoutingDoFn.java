package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the file and table readers share: the outputs a {@link RoutingSink} routes to, and the
 * bundle's tally, flushed as accounting partials when the bundle finishes.
 */
abstract class RoutingDoFn<I, T> extends DoFn<I, T> {
  private final @Nullable RunScope scope;
  private final TupleTag<T> mainTag;
  private final TupleTag<KV<String, T>> keyedTag;
  private final TupleTag<DeadLetter> deadTag;
  private final TupleTag<KV<String, Long>> accountTag;
  private transient Accounting.Tally tally;

  RoutingDoFn(@Nullable RunScope scope, TupleTag<T> mainTag, TupleTag<KV<String, T>> keyedTag,
      TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    this.scope = scope;
    this.mainTag = mainTag;
    this.keyedTag = keyedTag;
    this.deadTag = deadTag;
    this.accountTag = accountTag;
  }

  /** A sink for the records of one source read in this element. */
  RoutingSink<T> sink(String source, MultiOutputReceiver out) {
    return new RoutingSink<>(source, scope, tally, out, mainTag, keyedTag, deadTag);
  }

  @StartBundle
  public void startBundle() {
    tally = new Accounting.Tally();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext ctx) {
    for (KV<String, Long> kv : tally.drain()) {
      ctx.output(accountTag, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
