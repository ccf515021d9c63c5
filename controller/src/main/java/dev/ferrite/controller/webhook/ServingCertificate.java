package dev.ferrite.controller.webhook;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's TLS certificate and key, read from PEM files and read again when either
 * file changes. cert-manager and similar tools renew the certificate by rewriting the
 * mounted Secret; picking that up per new connection means the webhook never serves an
 * expired certificate and needs no restart. A renewed pair that cannot be read (caught
 * half-written, or wrong) is logged and the previous pair stays in use.
 */
final class ServingCertificate {

    private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);

    private final File certificate;
    private final File key;
    private Stamp loadedFrom;
    private SslContext context;

    private ServingCertificate(File certificate, File key) {
        this.certificate = certificate;
        this.key = key;
    }

    /** Reads the pair now; fails with a message naming both files when it cannot. */
    static ServingCertificate load(File certificate, File key) throws IOException {
        ServingCertificate serving = new ServingCertificate(certificate, key);
        serving.loadedFrom = serving.stamp();
        serving.context = serving.read();
        return serving;
    }

    /** The context for a new connection: the files' current content if it changed and reads well. */
    synchronized SslContext current() {
        Stamp now = stamp();
        if (!now.equals(loadedFrom)) {
            loadedFrom = now;
            try {
                context = read();
                log.info("webhook: loaded the renewed certificate {} and key {}", certificate, key);
            } catch (IOException e) {
                log.warn("webhook: keeping the previous certificate: {}", e.getMessage());
            }
        }
        return context;
    }

    private SslContext read() throws IOException {
        try {
            return SslContextBuilder.forServer(certificate, key).build();
        } catch (IllegalArgumentException | SSLException e) {
            throw new IOException("cannot use certificate " + certificate + " with key " + key + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private Stamp stamp() {
        return new Stamp(certificate.lastModified(), certificate.length(), key.lastModified(), key.length());
    }

    private record Stamp(long certificateModified, long certificateLength, long keyModified, long keyLength) {
    }
}
