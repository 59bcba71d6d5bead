package dev.sfutriage.read;

import dev.sfutriage.model.DeadLetter;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The table-row twin of {@link ParseFilesFn}: same routing, same accounting. */
final class ParseRowsFn<I, T> extends RoutingDoFn<I, T> {
  private final RowParser<I, T> parser;

  ParseRowsFn(RowParser<I, T> parser, @Nullable RunScope scope, TupleTag<T> mainTag, TupleTag<KV<String, T>> keyedTag,
      TupleTag<DeadLetter> deadTag, TupleTag<KV<String, Long>> accountTag) {
    super(scope, mainTag, keyedTag, deadTag, accountTag);
    this.parser = parser;
  }

  @ProcessElement
  public void process(@Element I row, MultiOutputReceiver out) {
    parser.parse(row, sink(parser.source(), out));
  }
}
