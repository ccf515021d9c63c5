package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaultTest {

    @Test
    void parsesTheCommandLineNamesInOrderWithoutDuplicates() {
        Fault.Parsed p = Fault.parseList("drain, crash,drain,api-down");
        assertEquals(List.of(Fault.DRAIN, Fault.CRASH, Fault.API_DOWN), assertInstanceOf(Fault.Parsed.Valid.class, p).faults());
    }

    @Test
    void anUnknownFaultIsNamedWithTheValidOnes() {
        Fault.Parsed p = Fault.parseList("crash,reboot");
        String msg = assertInstanceOf(Fault.Parsed.Invalid.class, p).message();
        assertTrue(msg.contains("\"reboot\""), msg);
        assertTrue(msg.contains("crash,link-down,drain,upgrade,endpoint-gone,partition,rogue,majority-crash,api-down"), msg);
    }

    @Test
    void anEmptyListIsRefused() {
        assertInstanceOf(Fault.Parsed.Invalid.class, Fault.parseList(" , "));
    }
}
