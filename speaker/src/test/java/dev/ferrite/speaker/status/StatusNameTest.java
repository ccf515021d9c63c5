package dev.ferrite.speaker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.speaker.model.ServiceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusNameTest {

    private static final String VALID_NAME = "[a-z0-9]([-a-z0-9.]*[a-z0-9])?";

    @Test
    void shortNamesAreNamespaceServiceAndNode() {
        assertEquals("default.web.node-a", StatusName.of(new ServiceKey("default", "web"), "node-a"));
    }

    @Test
    void everyNameIsAValidObjectNameOfAtMost63Characters() {
        List<String[]> cases = List.of(
                new String[] {"default", "web", "node-a"},
                new String[] {"a-very-long-namespace-name-for-a-team", "and-an-even-longer-service-name-here", "node-a"},
                new String[] {"default", "web", "worker-17.rack-3.datacenter-west.example.com"},
                new String[] {"default", "web", "Node_With_Capitals"});
        for (String[] c : cases) {
            String name = StatusName.of(new ServiceKey(c[0], c[1]), c[2]);
            assertTrue(name.length() <= 63, name + " is longer than 63");
            assertTrue(name.matches(VALID_NAME), name + " is not a valid object name");
        }
    }

    @Test
    void longNamesStayDeterministicAndDistinctPerNode() {
        ServiceKey svc = new ServiceKey("a-very-long-namespace-name-for-a-team", "and-an-even-longer-service-name-here");
        assertEquals(StatusName.of(svc, "node-a"), StatusName.of(svc, "node-a"));
        assertNotEquals(StatusName.of(svc, "node-a"), StatusName.of(svc, "node-b"));
    }

    @Test
    void servicesWhoseNamesJoinToTheSameTextGetDistinctObjects() {
        assertNotEquals(StatusName.of(new ServiceKey("a-b", "c"), "n"), StatusName.of(new ServiceKey("a", "b-c"), "n"));
    }

    @Test
    void labelValuesLongerThan63CharactersAreHashed() {
        String node = "worker-17.rack-3.datacenter-west.example.com.a-suffix-that-makes-it-long";
        String value = StatusName.labelValue(node);
        assertTrue(value.length() <= 63);
        assertEquals("node-a", StatusName.labelValue("node-a"));
    }
}
