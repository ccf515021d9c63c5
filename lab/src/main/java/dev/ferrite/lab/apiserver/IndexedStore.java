package dev.ferrite.lab.apiserver;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.Value;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mock server's object store (each object's attributes to its JSON), with an index by
 * resource and name. fabric8's CRUD dispatcher finds the object a request names by testing
 * every stored object's attributes, so each create, update, patch and named GET cost time in
 * proportion to everything stored, the Events of a long drill included: at 100 Services the
 * EndpointSlices of a cut-off node took seconds to write, with most of the server's time in
 * that scan. Here an object whose request names its resource and name is looked up among the
 * objects of that resource and name only; the answer is the same as the scan's, since an
 * object matches a request only if it has the request's resource and name.
 *
 * <p>Only {@link #put}, {@link #remove} and {@link #clear} change it, which is all the
 * dispatcher calls; the other ways a map can change are refused, so the index cannot fall
 * behind.
 */
final class IndexedStore extends LinkedHashMap<AttributeSet, String> {
    private static final long serialVersionUID = 1L;
    static final String RESOURCE = "plural";
    static final String NAME = "name";
    private static final String ANY = "*";

    private final Map<String, Set<AttributeSet>> byName = new HashMap<>();
    /** Objects stored without a single resource and name: every named lookup tests them. */
    private final Set<AttributeSet> unnamed = new LinkedHashSet<>();

    @Override
    public String put(AttributeSet key, String value) {
        String previous = super.put(key, value);
        identity(key).map(id -> byName.computeIfAbsent(id, k -> new LinkedHashSet<>())).orElse(unnamed).add(key);
        return previous;
    }

    @Override
    public String remove(Object key) {
        String previous = super.remove(key);
        if (previous != null && key instanceof AttributeSet attributes) {
            Optional<String> id = identity(attributes);
            if (id.isEmpty()) {
                unnamed.remove(attributes);
            } else {
                Set<AttributeSet> same = byName.get(id.get());
                same.remove(attributes);
                if (same.isEmpty()) {
                    byName.remove(id.get());
                }
            }
        }
        return previous;
    }

    @Override
    public void clear() {
        super.clear();
        byName.clear();
        unnamed.clear();
    }

    @Override
    public void putAll(Map<? extends AttributeSet, ? extends String> m) {
        m.forEach(this::put);
    }

    @Override
    public String putIfAbsent(AttributeSet key, String value) {
        throw new UnsupportedOperationException("the lab's store changes through put and remove only");
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw new UnsupportedOperationException("the lab's store changes through put and remove only");
    }

    /** Whether {@link #find} answers the query: it names one resource and one name. */
    static boolean isNamed(AttributeSet query) {
        return identity(query).isPresent();
    }

    /** The first stored object that matches a query that {@link #isNamed names} its object. */
    Optional<Map.Entry<AttributeSet, String>> find(AttributeSet query) {
        String id = identity(query).orElseThrow(() -> new IllegalArgumentException("the query names no object: " + query));
        for (Set<AttributeSet> candidates : List.of(byName.getOrDefault(id, Set.of()), unnamed)) {
            for (AttributeSet candidate : candidates) {
                if (candidate.matches(query)) {
                    return Optional.of(new AbstractMap.SimpleImmutableEntry<>(candidate, get(candidate)));
                }
            }
        }
        return Optional.empty();
    }

    /** "resource/name" when the attributes require exactly one value of each. */
    static Optional<String> identity(AttributeSet attributes) {
        Optional<String> resource = single(attributes.getAttribute(RESOURCE));
        Optional<String> name = single(attributes.getAttribute(NAME));
        return resource.isPresent() && name.isPresent() ? Optional.of(resource.get() + "/" + name.get()) : Optional.empty();
    }

    private static Optional<String> single(Attribute attribute) {
        if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
            return Optional.empty();
        }
        Value value = attribute.getValues().get(0);
        return value.toString() == null || value.toString().equals(ANY) ? Optional.empty() : Optional.of(value.toString());
    }
}
