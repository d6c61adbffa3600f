package dev.cairn.calcite.runtime;

import dev.cairn.client.fetch.StripeFetcher;
import dev.cairn.wire.CairnException;
import dev.cairn.wire.ContentId;
import dev.cairn.wire.erasure.ReedSolomon;
import dev.cairn.wire.erasure.Stripe;
import dev.cairn.wire.manifest.BatchRef;
import dev.cairn.wire.manifest.RedundancyPolicy;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Where the runtime gets verified blob bytes: the one seam between query execution and the
 * network. Sessions use the client's multi-source FetchScheduler (latency-ranked, spread over
 * near donors, hedged, verified) and its {@link StripeFetcher} for erasure-coded batches;
 * tests may supply their own.
 */
@FunctionalInterface
public interface BlobSource {
  /**
   * Returns the bytes of {@code id}, which must already have been checked to hash to it, from
   * one of {@code holders}; throws a CairnException if no holder served it intact.
   */
  byte[] fetch(ContentId id, long expectedBytes, List<InetSocketAddress> holders);

  /**
   * Returns the blob of an erasure-coded {@code batch} from any k of its shards (holders by
   * shard id); LOST if fewer than k are served intact. This default asks for one shard at a
   * time through {@link #fetch}, data shards first; the session's source fetches in parallel.
   */
  default byte[] fetchStripe(BatchRef batch, RedundancyPolicy policy,
      Map<ContentId, List<InetSocketAddress>> holders) {
    int k = policy.dataShards();
    int shardBytes = Stripe.shardBytes(batch.byteSize(), k);
    byte[][] shards = new byte[policy.shardCount()][];
    int verified = 0;
    int unavailable = 0;
    for (int i = 0; i < shards.length && verified < k; i++) {
      ContentId id = batch.shardIds().get(i);
      try {
        shards[i] = fetch(id, shardBytes, holders.getOrDefault(id, List.of()));
        verified++;
      } catch (CairnException e) {
        unavailable++;
      }
    }
    if (verified < k) {
      throw StripeFetcher.lost(batch, shards.length, unavailable);
    }
    return Stripe.decode(shards, ReedSolomon.of(k, policy.parityShards()), batch.byteSize());
  }
}
