package dev.ferrite.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the Ferrite version and the Java runtime, for bug reports. */
@Command(name = "version", description = "Print the Ferrite version and the Java runtime it runs on.")
public final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "ferrite " + (v == null ? "development build" : v),
                "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
