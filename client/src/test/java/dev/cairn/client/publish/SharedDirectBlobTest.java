package dev.cairn.client.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One direct copy serves every upload of a blob and is freed once, after the last. */
class SharedDirectBlobTest {
  @Test
  void everyUploadReadsTheSameCopyWhichOutlivesCloseOnlyInTheDuplicatesTaken() {
    byte[] blob = new byte[200_000]; // several of the copy's 64 KiB pieces
    new Random(1).nextBytes(blob);
    SharedDirectBlob shared = new SharedDirectBlob(blob);
    ByteBuf first = shared.direct();
    assertSame(first, shared.direct(), "made once, at the first upload that needs it");
    assertTrue(first.isDirect());
    assertArrayEquals(blob, ByteBufUtil.getBytes(first));
    ByteBuf inFlight = first.retainedDuplicate(); // what a PUT_BLOB request holds
    assertEquals(2, first.refCnt());
    shared.close();
    assertEquals(1, inFlight.refCnt(), "closing drops only the shared reference");
    assertArrayEquals(blob, ByteBufUtil.getBytes(inFlight));
    inFlight.release();
    assertEquals(0, first.refCnt(), "freed once the last request lets go");
    assertThrows(IllegalStateException.class, shared::direct, "no upload after the end");
    shared.close(); // closing twice is harmless
  }
}
