package dev.cairn.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An adversary for tests: a TCP port on loopback that accepts connections and never sends a
 * byte, as a hung (SIGSTOPped, deadlocked) donor looks from outside once the kernel completed
 * the TCP handshake. Counts the connections it accepted, i.e. the handshakes others attempted.
 * Holds at most {@link #CONNECTIONS_MAX} sockets; further ones are closed at once.
 */
public final class SilentPeer implements AutoCloseable {
  /** Sockets kept open at most; a test needs a few, never thousands. */
  public static final int CONNECTIONS_MAX = 512;

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;

  /** Binds a free loopback port and starts accepting. */
  public SilentPeer() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "silent-peer");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        synchronized (open) {
          if (open.size() < CONNECTIONS_MAX) {
            open.add(socket); // kept open and never read or written
            continue;
          }
        }
        socket.close();
      } catch (IOException closed) {
        return;
      }
    }
  }

  /** Returns the address to list as a holder or peer. */
  public InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** Returns how many connections were accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      for (Socket socket : open) {
        socket.close();
      }
      open.clear();
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
