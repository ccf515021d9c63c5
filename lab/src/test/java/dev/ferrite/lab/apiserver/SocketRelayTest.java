package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketRelayTest {

    @Test
    void relaysBothWaysAndSendsTcpWithoutNagleDelay(@TempDir Path dir) throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread echoing = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (java.io.IOException e) {
                    // the test closed it
                }
            });
            echoing.setDaemon(true);
            echoing.start();
            Path socket = dir.resolve("api.sock");
            try (SocketRelay serverSide = SocketRelay.fromUnixSocket(socket, echo.getLocalSocketAddress());
                 SocketRelay drillSide = SocketRelay.toUnixSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), socket);
                 Socket client = new Socket()) {
                client.connect(drillSide.localAddress(), 2_000);
                client.setSoTimeout(2_000);
                OutputStream out = client.getOutputStream();
                InputStream in = client.getInputStream();
                for (String piece : List.of("GET / HTTP/1.1\r\n", "x")) {
                    out.write(piece.getBytes(StandardCharsets.US_ASCII));
                    assertEquals(piece, new String(in.readNBytes(piece.length()), StandardCharsets.US_ASCII));
                }
                List<SocketChannel> tcp = Stream.concat(serverSide.openChannels().stream(), drillSide.openChannels().stream())
                        .filter(c -> !(localAddress(c) instanceof UnixDomainSocketAddress)).toList();
                assertEquals(2, tcp.size(), "one TCP side in each relay: " + tcp);
                for (SocketChannel c : tcp) {
                    assertTrue(c.getOption(StandardSocketOptions.TCP_NODELAY),
                            "a small write through " + c + " goes out at once, not after the peer's delayed ACK");
                }
            }
        }
    }

    private static java.net.SocketAddress localAddress(SocketChannel c) {
        try {
            return c.getLocalAddress();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
