package dev.ferrite.speaker.k8s;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * How the speaker reaches the API server: its address, the TLS to use (the cluster's CA, a
 * client certificate) and the bearer token to send. From a kubeconfig (its current context:
 * the cluster's {@code server}, {@code certificate-authority(-data)},
 * {@code insecure-skip-tls-verify}; the user's {@code token}, {@code tokenFile},
 * {@code client-certificate(-data)} and {@code client-key(-data)}; relative paths next to the
 * file, as kubectl reads them), or in a pod from its service account
 * ({@code KUBERNETES_SERVICE_HOST} and {@code _PORT}, the token and CA mounted at
 * {@value #SERVICE_ACCOUNT}). A token read from a file is read again every minute: a pod's
 * projected token is rotated. Credential plugins ({@code exec}, {@code auth-provider}) and
 * basic authentication are refused with a message saying so.
 */
public final class ApiAccess {

    public static final String SERVICE_ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final long TOKEN_REREAD_NANOS = 60_000_000_000L;

    private final URI server;
    private final Optional<SSLContext> tls;
    private final Supplier<Optional<String>> token;
    private final String userAgent;
    private final boolean insecure;

    /** Thrown for a kubeconfig or service account that cannot be used, saying why. */
    public static final class ConfigException extends IOException {
        public ConfigException(String message) {
            super(message);
        }
    }

    private ApiAccess(URI server, Optional<SSLContext> tls, Supplier<Optional<String>> token, String userAgent,
            boolean insecure) {
        this.server = server;
        this.tls = tls;
        this.token = token;
        this.userAgent = userAgent;
        this.insecure = insecure;
    }

    /** A server reached over plain HTTP without credentials (a test's API server). */
    public static ApiAccess plain(URI server) {
        return new ApiAccess(server, Optional.empty(), Optional::empty, "ferrite-speaker", false);
    }

    /** The same access, sending {@code agent} as its User-Agent. */
    public ApiAccess withUserAgent(String agent) {
        return new ApiAccess(server, tls, token, agent, insecure);
    }

    public URI server() {
        return server;
    }

    public Optional<SSLContext> tls() {
        return tls;
    }

    /** The bearer token to send now, if any. */
    public Optional<String> token() {
        return token.get();
    }

    public String userAgent() {
        return userAgent;
    }

    /** The kubeconfig says {@code insecure-skip-tls-verify}: neither the certificate nor the host name is checked. */
    public boolean insecure() {
        return insecure;
    }

    /**
     * The access a speaker uses: the kubeconfig given, else the first file of {@code $KUBECONFIG},
     * else the pod's service account.
     */
    public static ApiAccess resolve(Path kubeconfig, Map<String, String> env) throws ConfigException {
        Path file = kubeconfig;
        String option = "--kubeconfig ";
        if (file == null) {
            option = "$KUBECONFIG file ";
            for (String p : env.getOrDefault("KUBECONFIG", "").split(java.io.File.pathSeparator)) {
                if (!p.isBlank()) {
                    file = Path.of(p);
                    break;
                }
            }
        }
        if (file == null) {
            return inCluster(env, Path.of(SERVICE_ACCOUNT));
        }
        try {
            return kubeconfig(file);
        } catch (ConfigException e) {
            throw new ConfigException(option + file + ": " + e.getMessage());
        }
    }

    /** The pod's service account: the API's address from {@code env}, token and CA from {@code dir}. */
    public static ApiAccess inCluster(Map<String, String> env, Path dir) throws ConfigException {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isBlank() || port == null || port.isBlank()) {
            throw new ConfigException("no --kubeconfig, no $KUBECONFIG, and not in a pod (KUBERNETES_SERVICE_HOST and"
                    + " KUBERNETES_SERVICE_PORT are not set)");
        }
        URI server = uri("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port, "the in-cluster address");
        Path ca = dir.resolve("ca.crt");
        Path token = dir.resolve("token");
        if (!Files.isReadable(token)) {
            throw new ConfigException("the service account token " + token + " cannot be read");
        }
        SSLContext tls = tls(Optional.of(read(ca, "the service account's CA")), Optional.empty(), Optional.empty(), false);
        return new ApiAccess(server, Optional.of(tls), tokenFile(token), "ferrite-speaker", false);
    }

    /** The current context of the kubeconfig {@code file}; errors say where in the file, not which file. */
    public static ApiAccess kubeconfig(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot be read: " + e.getMessage());
        }
        Object parsed;
        try {
            parsed = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new ConfigException("not YAML: " + firstLine(e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        Map<?, ?> config = map(parsed, "top level");
        String where = "top level";
        String current = string(config, "current-context", where);
        if (current == null || current.isEmpty()) {
            throw new ConfigException("no current-context");
        }
        Map<?, ?> context = named(config, "contexts", current, "context");
        String clusterName = string(context, "cluster", "context " + current);
        String userName = string(context, "user", "context " + current);
        if (clusterName == null) {
            throw new ConfigException("context " + current + ": no cluster");
        }
        Map<?, ?> cluster = named(config, "clusters", clusterName, "cluster");
        Map<?, ?> user = userName == null ? Map.of() : named(config, "users", userName, "user");
        String userWhere = "user " + userName;
        for (String unsupported : List.of("exec", "auth-provider", "username", "password")) {
            if (user.get(unsupported) != null) {
                throw new ConfigException(userWhere + ": " + unsupported + " is not supported by the speaker; use a token,"
                        + " a client certificate, or the pod's service account");
            }
        }
        String clusterWhere = "cluster " + clusterName;
        String serverText = string(cluster, "server", clusterWhere);
        if (serverText == null) {
            throw new ConfigException(clusterWhere + ": no server");
        }
        URI server = uri(serverText, clusterWhere + ": server");
        if (!"https".equals(server.getScheme()) && !"http".equals(server.getScheme())) {
            throw new ConfigException(clusterWhere + ": server " + serverText + " is not an http or https URL");
        }
        Optional<String> ca = pem(cluster, "certificate-authority", dir, clusterWhere);
        Optional<String> cert = pem(user, "client-certificate", dir, userWhere);
        Optional<String> key = pem(user, "client-key", dir, userWhere);
        if (cert.isPresent() != key.isPresent()) {
            throw new ConfigException(userWhere + ": a client certificate needs its key and a key its certificate");
        }
        boolean insecure = Boolean.TRUE.equals(cluster.get("insecure-skip-tls-verify"));
        Optional<SSLContext> tls = server.getScheme().equals("https")
                ? Optional.of(tls(ca, cert, key, insecure)) : Optional.empty();
        Supplier<Optional<String>> token;
        String inline = string(user, "token", userWhere);
        String tokenFile = string(user, "tokenFile", userWhere);
        if (inline != null && !inline.isEmpty()) {
            Optional<String> fixed = Optional.of(inline.strip());
            token = () -> fixed;
        } else if (tokenFile != null && !tokenFile.isEmpty()) {
            Path p = dir.resolve(tokenFile);
            if (!Files.isReadable(p)) {
                throw new ConfigException(userWhere + ": tokenFile " + p + " cannot be read");
            }
            token = tokenFile(p);
        } else {
            token = Optional::empty;
        }
        return new ApiAccess(server, tls, token, "ferrite-speaker", insecure && tls.isPresent());
    }

    /** The token in {@code file}, read again when the last read is a minute old. */
    private static Supplier<Optional<String>> tokenFile(Path file) {
        return new Supplier<>() {
            private long readAt;
            private Optional<String> last = Optional.empty();

            @Override
            public synchronized Optional<String> get() {
                long now = System.nanoTime();
                if (last.isEmpty() || now - readAt >= TOKEN_REREAD_NANOS) {
                    try {
                        String t = Files.readString(file, StandardCharsets.UTF_8).strip();
                        last = t.isEmpty() ? last : Optional.of(t);
                        readAt = now;
                    } catch (IOException e) {
                        // keep the last token; the API's 401 says the rest
                    }
                }
                return last;
            }
        };
    }

    private static SSLContext tls(Optional<String> ca, Optional<String> cert, Optional<String> key, boolean insecure)
            throws ConfigException {
        try {
            TrustManager[] trust = null;
            if (insecure) {
                trust = new TrustManager[] {new TrustAll()};
            } else if (ca.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : Pem.certificates(ca.get())) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                trust = tmf.getTrustManagers();
            }
            javax.net.ssl.KeyManager[] keys = null;
            if (cert.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                PrivateKey privateKey = Pem.privateKey(key.orElseThrow());
                char[] none = new char[0];
                store.setKeyEntry("client", privateKey, none, Pem.certificates(cert.get()).toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, none);
                keys = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("TLS: " + e.getMessage());
        }
    }

    /** Trusts any server: {@code insecure-skip-tls-verify: true}, as the kubeconfig asks. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** {@code name-data} (base64 PEM) or {@code name} (a file, relative to {@code dir}). */
    private static Optional<String> pem(Map<?, ?> section, String name, Path dir, String where) throws ConfigException {
        String data = string(section, name + "-data", where);
        if (data != null && !data.isEmpty()) {
            try {
                return Optional.of(new String(Base64.getMimeDecoder().decode(data), StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": " + name + "-data is not base64");
            }
        }
        String file = string(section, name, where);
        if (file != null && !file.isEmpty()) {
            return Optional.of(read(dir.resolve(file), where + ": " + name + " file"));
        }
        return Optional.empty();
    }

    /** The entry {@code name} of the list {@code list}: its {@code inner} map. */
    private static Map<?, ?> named(Map<?, ?> config, String list, String name, String inner) throws ConfigException {
        Object entries = config.get(list);
        if (entries instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                    return m.get(inner) == null ? Map.of() : map(m.get(inner), list + " " + name + ": " + inner);
                }
            }
        } else if (entries != null) {
            throw new ConfigException(list + " is not a list");
        }
        throw new ConfigException("no entry named \"" + name + "\" in " + list);
    }

    private static Map<?, ?> map(Object o, String where) throws ConfigException {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new ConfigException(where + ": expected a map, found " + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }

    private static String string(Map<?, ?> m, String key, String where) throws ConfigException {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new ConfigException(where + ": " + key + " is not a string");
    }

    private static String read(Path file, String what) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    private static URI uri(String text, String what) throws ConfigException {
        try {
            URI u = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (u.getHost() == null) {
                throw new ConfigException(what + " " + text + " has no host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new ConfigException(what + " " + text + " is not a URL: " + e.getMessage());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
