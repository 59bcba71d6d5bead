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

  /**
   * {@link #expand} in this thread (the in-process engine): the same partitions, file names, schema and
   * codec (AvroIO's default, snappy), one file per partition.
   */
  public static void inProcess(String dir, Iterable<Event> events) {
    inProcess(dir, events, IndexFormat::partition);
  }

  /** {@link #inProcess(String, Iterable)} with another partitioning (an index as an older build wrote it). */
  static void inProcess(String dir, Iterable<Event> events, java.util.function.Function<Event, String> partition) {
    java.util.Map<String, java.util.List<Event>> byPartition = dev.sfutriage.util.InMemory.group(events, partition::apply);
    for (java.util.Map.Entry<String, java.util.List<Event>> p : new java.util.TreeMap<>(byPartition).entrySet()) {
      String file = dir + "/" + p.getKey() + "/part-00000-of-00001.avro";
      try (org.apache.avro.file.DataFileWriter<org.apache.avro.generic.GenericRecord> w = new org.apache.avro.file.DataFileWriter<>(
          new org.apache.avro.generic.GenericDatumWriter<org.apache.avro.generic.GenericRecord>(IndexFormat.schema()))) {
        w.setCodec(org.apache.avro.file.CodecFactory.snappyCodec());
        w.create(IndexFormat.schema(), java.nio.channels.Channels.newOutputStream(
            org.apache.beam.sdk.io.FileSystems.create(org.apache.beam.sdk.io.FileSystems.matchNewResource(file, false),
                "application/octet-stream")));
        for (Event e : p.getValue()) {
          w.append(IndexFormat.toRecord(e));
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot write the index file " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
