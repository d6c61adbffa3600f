package dev.cairn.tpchdata;

import io.trino.tpch.Customer;
import io.trino.tpch.LineItem;
import io.trino.tpch.Nation;
import io.trino.tpch.Order;
import io.trino.tpch.Part;
import io.trino.tpch.PartSupplier;
import io.trino.tpch.Region;
import io.trino.tpch.Supplier;
import io.trino.tpch.TpchEntity;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Turns io.trino.tpch entities into rows of the Java objects Cairn's batch builder takes.
 *
 * <p>Exactness matters: the library's {@code double} getters (e.g. getExtendedPrice) would
 * round, so money comes from the cents getters, discount and tax from the percent getters and
 * quantities from whole units, all as BigDecimal of scale 2. Dates come as days since
 * 1970-01-01, which is exactly {@link LocalDate#ofEpochDay}.
 */
final class TpchRows {
  private static final int DECIMAL_SCALE = 2;

  private TpchRows() {}

  /** Returns the rows of {@code table} at {@code scale}, generated lazily. */
  static Iterator<List<Object>> of(TpchTable table, double scale) {
    switch (table) {
      case NATION: return map(io.trino.tpch.TpchTable.NATION, scale, TpchRows::nation);
      case REGION: return map(io.trino.tpch.TpchTable.REGION, scale, TpchRows::region);
      case PART: return map(io.trino.tpch.TpchTable.PART, scale, TpchRows::part);
      case SUPPLIER: return map(io.trino.tpch.TpchTable.SUPPLIER, scale, TpchRows::supplier);
      case PARTSUPP:
        return map(io.trino.tpch.TpchTable.PART_SUPPLIER, scale, TpchRows::partSupplier);
      case CUSTOMER: return map(io.trino.tpch.TpchTable.CUSTOMER, scale, TpchRows::customer);
      case ORDERS: return map(io.trino.tpch.TpchTable.ORDERS, scale, TpchRows::order);
      case LINEITEM: return map(io.trino.tpch.TpchTable.LINE_ITEM, scale, TpchRows::lineItem);
      default: throw new AssertionError(table);
    }
  }

  private static <E extends TpchEntity> Iterator<List<Object>> map(
      io.trino.tpch.TpchTable<E> source, double scale, Function<E, List<Object>> toRow) {
    Iterator<E> entities = source.createGenerator(scale, 1, 1).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entities.hasNext();
      }

      @Override
      public List<Object> next() {
        return toRow.apply(entities.next());
      }
    };
  }

  private static List<Object> nation(Nation n) {
    return List.of(n.getNationKey(), n.getName(), n.getRegionKey(), n.getComment());
  }

  private static List<Object> region(Region r) {
    return List.of(r.getRegionKey(), r.getName(), r.getComment());
  }

  private static List<Object> part(Part p) {
    return List.of(p.getPartKey(), p.getName(), p.getManufacturer(), p.getBrand(), p.getType(),
        p.getSize(), p.getContainer(), cents(p.getRetailPriceInCents()), p.getComment());
  }

  private static List<Object> supplier(Supplier s) {
    return List.of(s.getSupplierKey(), s.getName(), s.getAddress(), s.getNationKey(),
        s.getPhone(), cents(s.getAccountBalanceInCents()), s.getComment());
  }

  private static List<Object> partSupplier(PartSupplier ps) {
    return List.of(ps.getPartKey(), ps.getSupplierKey(), ps.getAvailableQuantity(),
        cents(ps.getSupplyCostInCents()), ps.getComment());
  }

  private static List<Object> customer(Customer c) {
    return List.of(c.getCustomerKey(), c.getName(), c.getAddress(), c.getNationKey(),
        c.getPhone(), cents(c.getAccountBalanceInCents()), c.getMarketSegment(),
        c.getComment());
  }

  private static List<Object> order(Order o) {
    return List.of(o.getOrderKey(), o.getCustomerKey(), String.valueOf(o.getOrderStatus()),
        cents(o.getTotalPriceInCents()), date(o.getOrderDate()), o.getOrderPriority(),
        o.getClerk(), o.getShipPriority(), o.getComment());
  }

  private static List<Object> lineItem(LineItem l) {
    return List.of(l.getOrderKey(), l.getPartKey(), l.getSupplierKey(), l.getLineNumber(),
        whole(l.getQuantity()), cents(l.getExtendedPriceInCents()),
        cents(l.getDiscountPercent()), cents(l.getTaxPercent()), l.getReturnFlag(),
        l.getStatus(), date(l.getShipDate()), date(l.getCommitDate()),
        date(l.getReceiptDate()), l.getShipInstructions(), l.getShipMode(), l.getComment());
  }

  /** Hundredths (cents, or percent as a fraction) as a scale-2 decimal, e.g. 4 -> 0.04. */
  private static BigDecimal cents(long hundredths) {
    return BigDecimal.valueOf(hundredths, DECIMAL_SCALE);
  }

  private static BigDecimal whole(long units) {
    return BigDecimal.valueOf(units).setScale(DECIMAL_SCALE);
  }

  private static LocalDate date(int epochDays) {
    return LocalDate.ofEpochDay(epochDays);
  }
}
