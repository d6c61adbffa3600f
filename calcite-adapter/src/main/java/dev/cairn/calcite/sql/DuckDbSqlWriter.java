package dev.cairn.calcite.sql;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * Turns a logical plan back into SQL for DuckDB, naming every catalog table by the DuckDB
 * relation its {@link RelationNames} give ({@code "tpch"."lineitem$v1"}, or a session's own
 * view) rather than by the name the user wrote; a system table is aliased by its own name,
 * since the relation it is read from may be a temporary table of another name. Public only
 * because Calcite dispatches {@code visit} reflectively.
 */
public final class DuckDbSqlWriter extends RelToSqlConverter {
  /** Creates a writer for {@link DuckDbDialect}. */
  public DuckDbSqlWriter() {
    super(DuckDbDialect.INSTANCE);
  }

  @Override
  public Result visit(TableScan scan) {
    WithItemTable item = scan.getTable().unwrap(WithItemTable.class);
    if (item != null) {
      return result(new SqlIdentifier(item.duckdbName(), SqlParserPos.ZERO),
          ImmutableList.of(Clause.FROM), scan, null);
    }
    CatalogRelTable table = scan.getTable().unwrap(CatalogRelTable.class);
    if (table == null) {
      return super.visit(scan);
    }
    List<String> parts = table.duckdbNameParts();
    SqlNode name = new SqlIdentifier(parts, SqlParserPos.ZERO);
    if (table.system()) {
      // The runtime reads a system table from a temporary table of another name; the alias
      // keeps column qualifiers ("versions"."version") pointing at it.
      name = SqlStdOperatorTable.AS.createCall(SqlParserPos.ZERO, name,
          new SqlIdentifier(table.table().table(), SqlParserPos.ZERO));
    }
    return result(name, ImmutableList.of(Clause.FROM), scan, null);
  }
}
