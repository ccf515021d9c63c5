package dev.ferrite.lab.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DuplicateAnswersTest {
    private static final long MS = 1_000_000L;
    private static final String IP = "198.18.0.200";
    private static final String A = "02:00:c6:12:00:0b";
    private static final String B = "02:00:c6:12:00:0c";

    private static NeighbourAnswer at(long ms, String mac) {
        return new NeighbourAnswer(ms * MS, IP, mac);
    }

    @Test
    void aHandoverInsideTheWindowIsTwoMacsButNotTwoAtOnce() {
        List<NeighbourAnswer> answers = List.of(at(100, A), at(900, A), at(1300, B), at(2300, B));
        assertEquals(List.of(IP), DuplicateAnswers.within(answers, Set.of(IP), 0, 3000 * MS));
        assertEquals(List.of(), DuplicateAnswers.atOnce(answers, Set.of(IP), 0, 3000 * MS));
    }

    @Test
    void twoMacsAnsweringOneRequestAreTwoAtOnce() {
        List<NeighbourAnswer> answers = List.of(at(100, A), at(1000, B), at(1012, A));
        assertEquals(List.of(IP), DuplicateAnswers.atOnce(answers, Set.of(IP), 0, 3000 * MS));
    }

    @Test
    void aMacAnsweringAgainAfterAnotherTookOverIsTwoAtOnce() {
        List<NeighbourAnswer> answers = List.of(at(100, A), at(700, B), at(1500, A));
        assertEquals(List.of(IP), DuplicateAnswers.atOnce(answers, Set.of(IP), 0, 3000 * MS));
    }

    @Test
    void answersOutsideTheWindowOrForOtherAddressesDoNotCount() {
        List<NeighbourAnswer> answers = List.of(at(100, A), at(105, B), new NeighbourAnswer(2000 * MS, "198.18.0.201", A),
                new NeighbourAnswer(2001 * MS, "198.18.0.201", B), at(2500, A));
        assertEquals(List.of(), DuplicateAnswers.atOnce(answers, Set.of(IP), 200 * MS, 3000 * MS));
    }
}
