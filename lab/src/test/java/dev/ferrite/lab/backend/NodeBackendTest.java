package dev.ferrite.lab.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeBackendTest {

    @Test
    void keepsMoreThanTwoHundredIdleKeepAliveConnectionsOpen() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        NodeBackend.main(new String[] {"--node", "node1", "--port", Integer.toString(port)});
        List<Socket> sockets = new ArrayList<>();
        try {
            // 250 connections, each answered once and then idle: more than the JDK's default 200
            for (int i = 0; i < 250; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(5_000);
                sockets.add(s);
                assertEquals("node=node1", request(s), "first answer on connection " + i);
            }
            int answered = 0;
            for (Socket s : sockets) {
                if ("node=node1".equals(request(s))) {
                    answered++;
                }
            }
            assertEquals(250, answered, "every idle connection was kept and answers again");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aPodNamesTheNodeItsRequestCameInThrough() {
        String answer = new String(NodeBackend.podAnswer("pod-node1-1", "node1", java.util.Map.of("198.18.0.12", "node2"),
                InetAddress.getLoopbackAddress()), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("node=node1\npod=pod-node1-1\npod-node=node1\nclient=127.0.0.1"), answer);
    }

    /** One GET on a kept-alive connection; the body's first line, or null when the server closed it. */
    private static String request(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            int length = -1;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (length < 0) {
                return null;
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    return null;
                }
                read += n;
            }
            return new String(body).lines().findFirst().orElse("");
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
