package dev.sfutriage.index;

import dev.sfutriage.model.Event;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.io.AvroIO;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the day's events as the index ({@link IndexFormat}) into {@code <staging>/index/<partition>/}
 * through Beam's FileIO and AvroIO, so on any Beam file system; one file per partition (the partition's
 * events are one group, a few thousand on a 10 M-record day). {@link IndexCommit} writes the manifest
 * and moves the folder into the output with the other outputs.
 */
public final class WriteIndex extends PTransform<PCollection<Event>, PDone> {
  private final String dir;

  /** @param dir the index folder in the run's staging area */
  public WriteIndex(String dir) {
    this.dir = dir;
  }

  @Override
  public PDone expand(PCollection<Event> events) {
    events.apply("IndexFiles", FileIO.<String, Event>writeDynamic()
        .by(IndexFormat::partition)
        .withDestinationCoder(StringUtf8Coder.of())
        .via(Contextful.fn(IndexFormat::toRecord), AvroIO.sink(IndexFormat.SCHEMA_JSON))
        .to(dir)
        .withNaming(partition -> FileIO.Write.defaultNaming(partition + "/part", ".avro"))
        .withNumShards(1));
    return PDone.in(events.getPipeline());
  }
}
