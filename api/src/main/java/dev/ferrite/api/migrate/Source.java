package dev.ferrite.api.migrate;

/**
 * Where something in the input is: its document (1-based, items of a {@code kind: List}
 * numbered after it), and the object's kind and {@code namespace/name} as the input gives them.
 * Printed as {@code document 3 (IPAddressPool metallb-system/lan)} or
 * {@code document 1 item 7 (L2Advertisement metallb-system/l2)}.
 */
public record Source(int document, int item, String kind, String namespace, String name, String part) {

    public Source(int document, int item, String kind, String namespace, String name) {
        this(document, item, kind, namespace, name, "");
    }

    /** A document that is not an object, or whose object could not be read at all. */
    public static Source document(int document, String what) {
        return new Source(document, 0, what, "", "");
    }

    public Source item(int item, String kind, String namespace, String name) {
        return new Source(document, item, kind, namespace, name);
    }

    /** The same place, naming an object found inside it (a pool of a legacy ConfigMap). */
    public Source inside(String what) {
        return new Source(document, item, kind, namespace, name, what);
    }

    public String namespacedName() {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        String where = "document " + document + (item > 0 ? " item " + item : "");
        String object = namespacedName();
        String what = (object.isEmpty() ? kind : kind + " " + object) + (part.isEmpty() ? "" : ", " + part);
        return what.isEmpty() ? where : where + " (" + what + ")";
    }
}
