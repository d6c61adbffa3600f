package dev.cairn.calcite.runtime;

import dev.cairn.wire.CairnException;
import dev.cairn.wire.ErrorCode;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Lets Arrow wrap native memory in {@code java.nio.DirectByteBuffer}s without the JVM option
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}, which desktop tools (DBeaver, IntelliJ)
 * make hard to add.
 *
 * <p>Arrow 19 has no way around the option: its C data interface (how batches reach DuckDB)
 * reads every struct through {@code MemoryUtil.directBuffer}, which calls the private
 * constructor {@code DirectByteBuffer(long, int)} found by reflection when {@code MemoryUtil}
 * initialises; without the option that constructor stays inaccessible and the first query
 * fails. Both allocation managers (unsafe and netty) go through the same {@code MemoryUtil}.
 * So before Arrow initialises, {@link #open} does what the option does, for Arrow's module
 * only: it opens {@code java.base/java.nio} to the module {@code MemoryUtil} is in, through the
 * JDK's own {@code Module.implAddOpens} reached with {@code sun.misc.Unsafe} (which Arrow needs
 * anyway). System property {@code cairn.jdbc.openJavaNio=false} turns this off; {@link #check}
 * then names the JVM option instead of letting the first query fail.
 */
public final class JavaNioAccess {
  /** Set to {@code false} to never open java.nio from inside the driver. */
  public static final String PROPERTY = "cairn.jdbc.openJavaNio";
  /** The JVM option that opens java.nio from outside. */
  public static final String JVM_OPTION = "--add-opens=java.base/java.nio=ALL-UNNAMED";

  private static final Logger LOG = Logger.getLogger(JavaNioAccess.class.getName());
  private static boolean attempted;

  private JavaNioAccess() {
  }

  /**
   * Opens java.nio to Arrow's module unless already open or turned off; must run before
   * Arrow's {@code MemoryUtil} initialises to have any effect. Never throws.
   */
  public static synchronized void open() {
    if (attempted) {
      return;
    }
    attempted = true;
    Module arrow = MemoryUtil.class.getModule(); // a class literal does not initialise it
    Module javaBase = Object.class.getModule();
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || javaBase.isOpen("java.nio", arrow)) {
      return;
    }
    try {
      Field unsafeField = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      unsafeField.setAccessible(true); // jdk.unsupported opens sun.misc to everyone
      sun.misc.Unsafe unsafe = (sun.misc.Unsafe) unsafeField.get(null);
      Field trustedField = MethodHandles.Lookup.class.getDeclaredField("IMPL_LOOKUP");
      @SuppressWarnings("deprecation") // no other way to read it; Arrow uses Unsafe throughout
      Object trusted = unsafe.getObject(unsafe.staticFieldBase(trustedField),
          unsafe.staticFieldOffset(trustedField));
      MethodHandle addOpens = ((MethodHandles.Lookup) trusted).findVirtual(Module.class,
          "implAddOpens", MethodType.methodType(void.class, String.class, Module.class));
      addOpens.invoke(javaBase, "java.nio", arrow);
    } catch (Throwable e) {
      LOG.log(Level.FINE, "could not open java.nio to Arrow; " + JVM_OPTION + " is needed", e);
    }
  }

  /**
   * Throws BAD_CONFIG naming the JVM option (and where tools take it) if Arrow cannot create
   * direct buffers in this JVM, so a connection fails at once rather than at its first query.
   */
  public static void check() {
    open();
    try {
      MemoryUtil.directBuffer(0, 0);
    } catch (Throwable e) {
      throw new CairnException(ErrorCode.BAD_CONFIG, "this JVM does not let Arrow (the"
          + " driver's columnar memory) create direct buffers (" + e + "): start"
          + " the JVM with " + JVM_OPTION + ". DBeaver: add it on its own line after -vmargs"
          + " in dbeaver.ini; IntelliJ IDEA / DataGrip: the driver's Advanced tab, VM options;"
          + " java: pass it before -cp (or remove -D" + PROPERTY + "=false)", e);
    }
  }
}
