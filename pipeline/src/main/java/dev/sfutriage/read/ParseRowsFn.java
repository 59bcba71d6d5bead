package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The table-row twin of {@link ParseFilesFn}: same routing, same accounting. */
final class ParseRowsFn<I, T> extends DoFn<I, T> {
  private final RowParser<I, T> parser;
  private final @Nullable RunScope scope;
  private final TupleTag<T> mainTag;
  private final TupleTag<KV<String, T>> keyedTag;
  private final TupleTag<DeadLetter> deadTag;
  private final TupleTag<KV<String, Long>> accountTag;
  private transient Accounting.Tally tally;

  ParseRowsFn(RowParser<I, T> parser, @Nullable RunScope scope, TupleTag<T> mainTag, TupleTag<KV<String, T>> keyedTag,
      TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    this.parser = parser;
    this.scope = scope;
    this.mainTag = mainTag;
    this.keyedTag = keyedTag;
    this.deadTag = deadTag;
    this.accountTag = accountTag;
  }

  @StartBundle
  public void startBundle() {
    tally = new Accounting.Tally();
  }

  @ProcessElement
  public void process(@Element I row, MultiOutputReceiver out) {
    parser.parse(row, new RoutingSink<>(parser.source(), scope, tally, out, mainTag, keyedTag, deadTag));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext ctx) {
    for (KV<String, Long> kv : tally.drain()) {
      ctx.output(accountTag, kv, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    }
  }
}
