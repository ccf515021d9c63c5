package dev.ferrite.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    @Test
    void everyCommandHasADescriptionAndHelp() {
        CommandLine root = Main.commandLine();
        visit(root);
    }

    private static void visit(CommandLine cmd) {
        String[] description = cmd.getCommandSpec().usageMessage().description();
        assertTrue(description.length > 0 && !description[0].isBlank(),
                "command '" + cmd.getCommandSpec().qualifiedName() + "' has no description");
        for (Map.Entry<String, CommandLine> sub : cmd.getSubcommands().entrySet()) {
            if (!sub.getKey().equals("help")) {
                visit(sub.getValue());
            }
        }
    }

    @Test
    void versionNamesFerriteAndJava() {
        StringWriter out = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute("--version");
        assertEquals(0, code);
        assertTrue(out.toString().startsWith("ferrite "), out.toString());
        assertTrue(out.toString().contains("java 17") || out.toString().contains("java "), out.toString());
    }

    @Test
    void unknownCommandIsAUsageErrorNotACrash() {
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute("no-such-command");
        assertEquals(2, code);
        assertFalse(err.toString().isBlank());
    }
}
