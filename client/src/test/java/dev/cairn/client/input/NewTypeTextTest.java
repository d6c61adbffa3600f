package dev.cairn.client.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.wire.Column;
import dev.cairn.wire.ColumnType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CSV text of the column types added for issue 20, DuckDB's boolean spellings, and what type
 * inference and --schema make of them.
 */
class NewTypeTextTest {
  private static long micros(String instant) {
    Instant at = Instant.parse(instant);
    return at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
  }

  @Test
  void zonedTimestampsBecomeUtcMicroseconds() {
    long expected = micros("2024-03-01T08:15:30Z");
    assertEquals(expected, TextValues.parseInstantMicros("2024-03-01T10:15:30+02:00"));
    assertEquals(expected, TextValues.parseInstantMicros("2024-03-01 10:15:30+0200"));
    assertEquals(expected, TextValues.parseInstantMicros("2024-03-01 06:15:30 -02"));
    assertEquals(expected, TextValues.parseInstantMicros("2024-03-01T08:15:30Z"));
    assertEquals(expected, TextValues.parseInstantMicros("2024-03-01 08:15:30"));
    assertEquals(expected + 5, TextValues.parseInstantMicros(
        "2024-03-01T03:45:30.000005-04:30"));
    for (String bad : List.of("2024-03-01T10:15:30+2", "2024-03-01T10:15:30+25:00",
        "2024-03-01T10:15:30+02:00:00", "2024-03-01T10:15+02:00", "2024-03-01")) {
      assertThrows(IllegalArgumentException.class, () -> TextValues.parseInstantMicros(bad),
          bad);
    }
  }

  @Test
  void booleansAreWhatDuckDbCastsToBoolean() {
    for (String yes : List.of("true", "TRUE", "t", "T", "yes", "Yes", "y", "Y", "1")) {
      assertTrue(TextValues.parseBoolean(yes), yes);
    }
    for (String no : List.of("false", "False", "f", "F", "no", "NO", "n", "N", "0")) {
      assertFalse(TextValues.parseBoolean(no), no);
    }
    for (String bad : List.of("on", "off", "2", "tru", "")) {
      assertThrows(IllegalArgumentException.class, () -> TextValues.parseBoolean(bad), bad);
    }
  }

  @Test
  void timesSmallIntegersRealsAndBlobs() {
    assertEquals(0L, TextValues.parseMicrosOfDay("00:00:00"));
    assertEquals(86_400_000_000L, TextValues.parseMicrosOfDay("24:00:00"));
    assertEquals(37_230_123_400L, TextValues.parseMicrosOfDay("10:20:30.1234"));
    for (String bad : List.of("24:00:01", "23:60:00", "1:00:00", "10:20:30.1234567")) {
      assertThrows(IllegalArgumentException.class, () -> TextValues.parseMicrosOfDay(bad), bad);
    }
    assertEquals((short) -32768, TextValues.parseShort("-32768"));
    assertThrows(IllegalArgumentException.class, () -> TextValues.parseShort("32768"));
    assertThrows(IllegalArgumentException.class, () -> TextValues.parseByte("128"));
    assertEquals(0.1f, TextValues.parseFloat("0.1"));
    assertTrue(Float.isNaN(TextValues.parseFloat("NaN")));
    assertEquals(Float.NEGATIVE_INFINITY, TextValues.parseFloat("-Infinity"));
    assertThrows(IllegalArgumentException.class, () -> TextValues.parseFloat("1e39"));
    assertArrayEquals(new byte[] {'a', 0, (byte) 0xff, ' '},
        TextValues.parseBlob("a\\x00\\xFF "));
    for (String bad : List.of("\\x0", "\\y00", "caf\u00e9", "\\xZZ")) {
      assertThrows(IllegalArgumentException.class, () -> TextValues.parseBlob(bad), bad);
    }
  }

  @Test
  void inferenceRecognisesZonedTimestampsAndDuckDbBooleans() {
    TypeInference inference = new TypeInference(List.of("at", "local", "flag", "mixed"));
    inference.add(Arrays.asList("2024-03-01T10:15:30+02:00", "2024-03-01 10:15:30", "t", "Yes"));
    inference.add(Arrays.asList("2024-03-01 10:15:30", "2024-03-02 00:00:00", "F", "no"));
    List<Column> columns = inference.schema().columns();
    assertEquals(ColumnType.TIMESTAMPTZ, columns.get(0).type());
    assertEquals(ColumnType.TIMESTAMP, columns.get(1).type());
    assertEquals(ColumnType.BOOLEAN, columns.get(2).type());
    assertEquals(ColumnType.BOOLEAN, columns.get(3).type());
  }

  @Test
  void schemaSpecNamesTheNewTypes() {
    List<Column> columns = SchemaSpec.parse("at TIMESTAMP WITH TIME ZONE NOT NULL, s SMALLINT,"
        + " t TINYINT, r REAL, tm TIME, b BLOB, v VARBINARY(16), z TIMESTAMPTZ").columns();
    assertEquals(List.of(ColumnType.TIMESTAMPTZ, ColumnType.SMALLINT, ColumnType.TINYINT,
        ColumnType.REAL, ColumnType.TIME, ColumnType.VARBINARY, ColumnType.VARBINARY,
        ColumnType.TIMESTAMPTZ), columns.stream().map(Column::type).toList());
    assertFalse(columns.get(0).nullable());
  }
}
