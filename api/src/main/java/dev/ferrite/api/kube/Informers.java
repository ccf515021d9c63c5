package dev.ferrite.api.kube;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the controller and the speaker start their informers. fabric8's default gives up when
 * the first list fails or a watch breaks other than with 410 Gone, so a component started
 * before the API server is reachable would never sync; these informers retry (with the
 * client's backoff) for as long as the component runs, and readiness waits for the sync.
 */
public final class Informers {

    private static final Logger log = LoggerFactory.getLogger(Informers.class);

    private Informers() {
    }

    /**
     * Starts {@code informer} (created with {@code runnableInformer}, handlers added) so that
     * it keeps retrying; never blocks.
     *
     * @return completes when the informer has listed its objects for the first time
     */
    public static CompletableFuture<Void> start(SharedIndexInformer<?> informer) {
        informer.exceptionHandler((started, error) -> {
            log.warn("watching {} failed, retrying: {}", informer.getApiTypeClass().getSimpleName(), error.getMessage());
            return true;
        });
        return informer.start().toCompletableFuture();
    }

    /**
     * An event handler that only signals: {@code onChange} runs for an added or deleted
     * object that {@code matters}, for an update whose {@code changeMatters}, and after a
     * relist that found nothing new.
     */
    public static <T> ResourceEventHandler<T> signalling(Runnable onChange, Predicate<T> matters,
            BiPredicate<T, T> changeMatters) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                if (matters.test(obj)) {
                    onChange.run();
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (changeMatters.test(oldObj, newObj)) {
                    onChange.run();
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                if (matters.test(obj)) {
                    onChange.run();
                }
            }

            @Override
            public void onNothing() {
                onChange.run();
            }
        };
    }
}
