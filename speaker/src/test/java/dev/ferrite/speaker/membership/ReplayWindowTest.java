package dev.ferrite.speaker.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReplayWindowTest {

    /** Each case: datagrams (epoch, seq) in arrival order and whether each is accepted. */
    static Stream<Arguments> arrivals() {
        return Stream.of(
                Arguments.of("in order", new long[][] {{1, 1}, {1, 2}, {1, 3}}, new boolean[] {true, true, true}),
                Arguments.of("exact duplicate", new long[][] {{1, 1}, {1, 1}}, new boolean[] {true, false}),
                Arguments.of("reordered within window", new long[][] {{1, 5}, {1, 3}, {1, 4}, {1, 3}},
                        new boolean[] {true, true, true, false}),
                Arguments.of("older than the window", new long[][] {{1, 100}, {1, 36}, {1, 37}},
                        new boolean[] {true, false, true}),
                Arguments.of("new process epoch resets", new long[][] {{1, 50}, {2, 1}, {2, 2}},
                        new boolean[] {true, true, true}),
                Arguments.of("old process epoch is a replay", new long[][] {{2, 1}, {1, 99}}, new boolean[] {true, false}),
                Arguments.of("big jump then old duplicate", new long[][] {{1, 1}, {1, 1000}, {1, 1}},
                        new boolean[] {true, true, false}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arrivals")
    void acceptsEachDatagramOnce(String name, long[][] datagrams, boolean[] accepted) {
        ReplayWindow w = new ReplayWindow();
        for (int i = 0; i < datagrams.length; i++) {
            assertEquals(accepted[i], w.accept(datagrams[i][0], datagrams[i][1]), name + ", datagram " + i);
        }
    }
}
