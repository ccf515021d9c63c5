package dev.ferrite.lab.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexedStoreTest {
    private static final KubernetesAttributesExtractor PATHS = new KubernetesAttributesExtractor();
    private static final List<String> RESOURCES = List.of("services", "endpointslices", "events");
    private static final List<String> NAMESPACES = List.of("default", "ferrite-system");

    /** What fabric8's dispatcher does without the index: the first stored object that matches. */
    private static Optional<Map.Entry<AttributeSet, String>> scan(IndexedStore store, AttributeSet query) {
        return store.entrySet().stream().filter(e -> e.getKey().matches(query)).findFirst();
    }

    private static String path(String resource, String namespace, String name) {
        String group = resource.equals("endpointslices") ? "/apis/discovery.k8s.io/v1" : "/api/v1";
        return group + "/namespaces/" + namespace + "/" + resource + "/" + name;
    }

    @Test
    void findsWhatTheScanFindsThroughPutsAndRemovals() {
        IndexedStore store = new IndexedStore();
        Random random = new Random(7);
        List<AttributeSet> stored = new ArrayList<>();
        for (int step = 0; step < 3_000; step++) {
            String path = path(RESOURCES.get(random.nextInt(3)), NAMESPACES.get(random.nextInt(2)), "o" + random.nextInt(40));
            AttributeSet key = PATHS.fromPath(path);
            if (random.nextInt(3) == 0 && !stored.isEmpty()) {
                AttributeSet gone = stored.remove(random.nextInt(stored.size()));
                store.remove(gone);
            } else {
                store.put(key, "{\"step\":" + step + "}");
                stored.add(key);
            }
            AttributeSet query = PATHS.fromPath(path(RESOURCES.get(random.nextInt(3)), NAMESPACES.get(random.nextInt(2)),
                    "o" + random.nextInt(40)));
            assertTrue(IndexedStore.isNamed(query));
            assertEquals(scan(store, query), store.find(query), "query " + query + " at step " + step);
        }
        store.clear();
        assertEquals(Optional.empty(), store.find(PATHS.fromPath(path("services", "default", "o1"))));
    }

    @Test
    void aCollectionIsNotANamedQuery() {
        assertFalse(IndexedStore.isNamed(PATHS.fromPath("/api/v1/namespaces/default/services")));
        assertThrows(IllegalArgumentException.class,
                () -> new IndexedStore().find(PATHS.fromPath("/api/v1/namespaces/default/services")));
    }

    @Test
    void objectsStoredWithoutAResourceAreStillFound() {
        IndexedStore store = new IndexedStore();
        AttributeSet noResource = PATHS.fromPath(path("services", "default", "web"));
        AttributeSet stored = new AttributeSet(noResource.getAttribute(IndexedStore.NAME),
                noResource.getAttribute("namespace"));
        store.put(stored, "{}");
        AttributeSet query = new AttributeSet(noResource.getAttribute(IndexedStore.NAME));
        query = query.add(noResource.getAttribute(IndexedStore.RESOURCE));
        assertEquals(scan(store, query), store.find(query));
        assertEquals(Optional.empty(), store.find(noResource));
    }

    @Test
    void refusesChangesThatWouldBypassTheIndex() {
        IndexedStore store = new IndexedStore();
        AttributeSet key = PATHS.fromPath(path("services", "default", "web"));
        assertThrows(UnsupportedOperationException.class, () -> store.putIfAbsent(key, "{}"));
        store.put(key, "{}");
        assertThrows(UnsupportedOperationException.class, () -> store.remove(key, "{}"));
        assertEquals(1, store.size());
    }
}
