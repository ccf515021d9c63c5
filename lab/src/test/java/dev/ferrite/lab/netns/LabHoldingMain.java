package dev.ferrite.lab.netns;

/** Test program: builds a one-node lab with the given prefix and id, says so, and waits to be signalled. */
public final class LabHoldingMain {

    private LabHoldingMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LabNetwork.up(Topology.of(args[0], args[1], 1)).orThrow();
        System.out.println("lab up");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
