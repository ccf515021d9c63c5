package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferrite.lab.process.ContainerImage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Speaker flags a benchmark adds to the lab's speakers. */
class LabSessionOptionsTest {

    @Test
    void speakerFlagsTheLabDoesNotSetAreAddedAndKeptThroughAnImage() {
        LabSession.Options o = new LabSession.Options(3, "fx-", Optional.empty())
                .withSpeakerArgs(List.of("--membership-probe-interval=200ms"));
        assertEquals(List.of("--membership-probe-interval=200ms"), o.speakerArgs());
        assertEquals(o.speakerArgs(), o.withImage(new ContainerImage("localhost/ferrite:test", Optional.empty())).speakerArgs());
        assertEquals(List.of(), new LabSession.Options(3, "fx-", Optional.empty()).speakerArgs());
        assertEquals(List.of("--membership-probe-interval=200ms"), new LabSession.Options(3, "fx-", Optional.empty())
                .withSpeakerArgs(List.of("", "--membership-probe-interval=200ms", " ")).speakerArgs(), "empty words dropped");
        assertEquals(Optional.empty(), LabSession.Options.speakerArgsProblem(o.speakerArgs()));
    }

    @Test
    void aFlagTheLabSetsItselfIsRefusedWithAndWithoutAValue() {
        for (List<String> args : List.of(List.of("--node", "node9"), List.of("--metrics-port=9000"),
                List.of("--membership-probe-interval=200ms", "--membership-peers=198.18.0.99:7946"))) {
            Optional<String> problem = LabSession.Options.speakerArgsProblem(args);
            assertTrue(problem.isPresent(), args.toString());
            assertTrue(problem.get().contains("is set by the lab"), problem.get());
        }
    }
}
