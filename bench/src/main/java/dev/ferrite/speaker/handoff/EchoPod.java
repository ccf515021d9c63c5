package dev.ferrite.speaker.handoff;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A "pod" for the handoff end-to-end test, run in its own namespace: answers every line on
 * every connection with its name, so the client can tell which node's pod serves a flow, and
 * closes the connection on {@code bye}. Prints "ready" once listening.
 */
public final class EchoPod {

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            System.out.println("ready");
            System.out.flush();
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s, name));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void serve(Socket s, String name) {
        try (s) {
            s.setTcpNoDelay(true);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            byte[] answer = (name + "\n").getBytes(StandardCharsets.US_ASCII);
            for (String line; (line = in.readLine()) != null && !line.equals("bye"); ) {
                out.write(answer);
                out.flush();
            }
        } catch (Exception e) {
            // the client went away or the connection was reset: nothing to serve any more
        }
    }
}
