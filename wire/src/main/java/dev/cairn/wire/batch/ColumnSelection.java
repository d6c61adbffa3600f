package dev.cairn.wire.batch;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Which field nodes and body buffers of a record batch belong to the chosen columns.
 *
 * <p>A record batch lists its field nodes and buffers flat, column after column (a column's
 * children follow it). The layout of each type fixes how many buffers a node has, so the
 * position of every column's nodes and buffers follows from the schema alone. A batch whose
 * counts differ from the schema's is refused before any of its lists is indexed.
 */
final class ColumnSelection {
  /** The chosen columns' part of one stored batch; the buffers stay owned by that batch. */
  record Selected(int length, List<ArrowFieldNode> nodes, List<ArrowBuf> buffers, byte codec) { }

  private final Schema schema;
  private final int[] firstNode;
  private final int[] nodeCount;
  private final int[] firstBuffer;
  private final int[] bufferCount;
  private final int totalNodes;
  private final int totalBuffers;

  /** Selects the fields at {@code columns} (strictly increasing) of {@code full}. */
  ColumnSelection(Schema full, int[] columns) {
    List<Field> fields = full.getFields();
    List<Field> chosen = new ArrayList<>(columns.length);
    int[] nodeStart = new int[fields.size()];
    int[] nodes = new int[fields.size()];
    int[] bufferStart = new int[fields.size()];
    int[] buffers = new int[fields.size()];
    int nodeAt = 0;
    int bufferAt = 0;
    for (int i = 0; i < fields.size(); i++) {
      nodeStart[i] = nodeAt;
      bufferStart[i] = bufferAt;
      nodes[i] = nodeCount(fields.get(i));
      buffers[i] = bufferCount(fields.get(i));
      nodeAt += nodes[i];
      bufferAt += buffers[i];
    }
    this.firstNode = new int[columns.length];
    this.nodeCount = new int[columns.length];
    this.firstBuffer = new int[columns.length];
    this.bufferCount = new int[columns.length];
    for (int k = 0; k < columns.length; k++) {
      int c = columns[k];
      chosen.add(fields.get(c));
      firstNode[k] = nodeStart[c];
      nodeCount[k] = nodes[c];
      firstBuffer[k] = bufferStart[c];
      bufferCount[k] = buffers[c];
    }
    this.schema = new Schema(chosen);
    this.totalNodes = nodeAt;
    this.totalBuffers = bufferAt;
  }

  /** Returns the schema of the chosen columns. */
  Schema schema() {
    return schema;
  }

  /** Returns the chosen columns' nodes and buffers of {@code stored}, or throws BAD_FORMAT. */
  Selected select(ArrowRecordBatch stored) {
    List<ArrowFieldNode> allNodes = stored.getNodes();
    List<ArrowBuf> allBuffers = stored.getBuffers();
    if (allNodes.size() != totalNodes || allBuffers.size() != totalBuffers) {
      throw new CairnException(ErrorCode.BAD_FORMAT, "record batch has " + allNodes.size()
          + " field nodes and " + allBuffers.size() + " buffers; its schema needs " + totalNodes
          + " and " + totalBuffers);
    }
    List<ArrowFieldNode> nodes = new ArrayList<>();
    List<ArrowBuf> buffers = new ArrayList<>();
    for (int k = 0; k < firstNode.length; k++) {
      nodes.addAll(allNodes.subList(firstNode[k], firstNode[k] + nodeCount[k]));
      buffers.addAll(allBuffers.subList(firstBuffer[k], firstBuffer[k] + bufferCount[k]));
    }
    return new Selected(stored.getLength(), nodes, buffers,
        stored.getBodyCompression().getCodec());
  }

  private static int nodeCount(Field field) {
    int n = 1;
    for (Field child : field.getChildren()) {
      n += nodeCount(child);
    }
    return n;
  }

  private static int bufferCount(Field field) {
    int n = TypeLayout.getTypeBufferCount(field.getType());
    for (Field child : field.getChildren()) {
      n += bufferCount(child);
    }
    return n;
  }
}
