package dev.ferrite.lab.drill;

import dev.ferrite.lab.netns.Host;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults that act on the owner's speaker process: {@code crash} (kill -9), {@code drain}
 * (SIGTERM, restarted once the drill has measured), {@code upgrade} (SIGTERM, and a new speaker
 * started on the same node as soon as the old one exits, as a DaemonSet rolling update does)
 * and {@code api-down} (API server frozen, then kill -9; thawed on heal).
 */
final class SpeakerFaults {
    private static final Logger LOG = LoggerFactory.getLogger(SpeakerFaults.class);
    static final Duration EXIT_BOUND = Duration.ofSeconds(10);

    private SpeakerFaults() {
    }

    static final class Crash implements FaultInjector {
        @Override
        public Injected inject(Target t) {
            long at = System.nanoTime();
            t.lab().speaker(t.owner().name()).kill();
            return Injected.at(at, () -> restart(t.lab(), t.owner()));
        }
    }

    static final class Drain implements FaultInjector {
        @Override
        public Injected inject(Target t) {
            long at = System.nanoTime();
            t.lab().speaker(t.owner().name()).terminate();
            Step exit = () -> {
                awaitExit(t.lab(), t.owner());
                return System.nanoTime();
            };
            return Injected.at(at, () -> {
                awaitExit(t.lab(), t.owner());
                return restart(t.lab(), t.owner());
            }).quiescedBy(exit);
        }
    }

    static final class Upgrade implements FaultInjector {
        @Override
        public Injected inject(Target t) {
            long at = System.nanoTime();
            t.lab().speaker(t.owner().name()).terminate();
            long[] startedAt = {at};
            Thread replace = new Thread(() -> {
                awaitExit(t.lab(), t.owner());
                startedAt[0] = System.nanoTime();
                t.lab().startSpeaker(t.owner());
            }, "upgrade-" + t.owner().name());
            replace.setDaemon(true);
            replace.start();
            // the new speaker takes its IPs back by itself, inside the failback's window
            Step back = () -> {
                replace.join(EXIT_BOUND.plus(LabSession.START_BOUND).toMillis());
                t.lab().awaitOwners(t.ownersBefore()::equals, Drill.SETTLED_FOR, Drill.FAILBACK_BOUND);
                return System.nanoTime();
            };
            return Injected.at(at, () -> {
                replace.join();
                return startedAt[0];
            }).quiescedBy(back).healingItself();
        }
    }

    /** kill -9 every speaker but the first node that does not own the Service; all restarted on heal. */
    static final class MajorityCrash implements FaultInjector {
        @Override
        public Injected inject(Target t) {
            Host survivor = t.lab().topology().nodes().stream().filter(n -> !n.equals(t.owner())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("majority-crash needs at least 2 nodes"));
            long at = System.nanoTime();
            for (Host n : t.lab().topology().nodes()) {
                if (!n.equals(survivor)) {
                    t.lab().speaker(n.name()).kill();
                }
            }
            Injected i = Injected.at(at, () -> {
                long healAt = System.nanoTime();
                for (Host n : t.lab().topology().nodes()) {
                    if (!n.equals(survivor)) {
                        t.lab().startSpeaker(n);
                    }
                }
                return healAt;
            });
            return new Injected(i.faultAtNanos(), i.watchFromNanos(), List.of(), i.quiesce(), i.heal(), Optional.empty(),
                    Optional.of(survivor));
        }
    }

    static final class ApiDown implements FaultInjector {
        @Override
        public Injected inject(Target t) throws InterruptedException {
            t.lab().apiServer().ifPresent(a -> a.pause());
            Thread.sleep(100);
            long at = System.nanoTime();
            t.lab().speaker(t.owner().name()).kill();
            return Injected.at(at, () -> {
                long healAt = System.nanoTime();
                t.lab().apiServer().ifPresent(a -> a.resume());
                t.lab().startSpeaker(t.owner());
                return healAt;
            });
        }
    }

    private static long restart(LabSession lab, Host owner) {
        long at = System.nanoTime();
        lab.startSpeaker(owner);
        return at;
    }

    /** Waits (bounded) until the SIGTERMed speaker on {@code owner} has exited; kills it past the bound. */
    static void awaitExit(LabSession lab, Host owner) {
        if (lab.speaker(owner.name()).waitFor(EXIT_BOUND).isEmpty()) {
            LOG.warn("speaker on {} still running {} s after SIGTERM, killing it", owner.name(), EXIT_BOUND.toSeconds());
            lab.speaker(owner.name()).kill();
            lab.speaker(owner.name()).waitFor(Duration.ofSeconds(5));
        }
    }
}
