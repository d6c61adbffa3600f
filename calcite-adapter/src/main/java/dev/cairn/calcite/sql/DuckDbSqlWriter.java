package dev.cairn.calcite.sql;

import com.google.common.collect.ImmutableList;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Turns a logical plan back into SQL for DuckDB, naming every catalog table by the DuckDB
 * relation the runtime creates for its version ({@code "tpch"."lineitem$v1"}) rather than by
 * the name the user wrote. Public only because Calcite dispatches {@code visit} reflectively.
 */
public final class DuckDbSqlWriter extends RelToSqlConverter {
  /** Creates a writer for {@link DuckDbDialect}. */
  public DuckDbSqlWriter() {
    super(DuckDbDialect.INSTANCE);
  }

  @Override
  public Result visit(TableScan scan) {
    CatalogRelTable table = scan.getTable().unwrap(CatalogRelTable.class);
    if (table == null) {
      return super.visit(scan);
    }
    SqlIdentifier name = new SqlIdentifier(table.duckdbNameParts(), SqlParserPos.ZERO);
    return result(name, ImmutableList.of(Clause.FROM), scan, null);
  }
}
