package dev.ferrite.controller.webhook;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code POST /validate}: decodes the AdmissionReview, asks {@link ConfigAdmission}
 * about the current objects and writes the verdict. A body it cannot read gets HTTP 400 with
 * the reason in plain text; a failure of its own (a bug) gets 500, so the API server applies
 * the webhook's failurePolicy instead of waiting for a timeout.
 */
@Sharable
final class AdmissionRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PATH = "/validate";

    private static final Logger log = LoggerFactory.getLogger(AdmissionRequestHandler.class);

    private final CurrentConfigObjects current;

    AdmissionRequestHandler(CurrentConfigObjects current) {
        this.current = current;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respondText(ctx, request, HttpResponseStatus.BAD_REQUEST, "the HTTP request cannot be read: "
                    + request.decoderResult().cause().getMessage());
            return;
        }
        // The API server appends ?timeout=10s to the webhook's path.
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.equals(PATH)) {
            respondText(ctx, request, HttpResponseStatus.NOT_FOUND, "no such path " + path + "; the webhook serves POST " + PATH);
            return;
        }
        if (!request.method().equals(HttpMethod.POST)) {
            respondText(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, PATH + " takes POST, not " + request.method());
            return;
        }
        AdmissionReviewCodec.Decoded decoded = AdmissionReviewCodec.decode(ByteBufUtil.getBytes(request.content()));
        if (decoded instanceof AdmissionReviewCodec.Malformed malformed) {
            log.warn("webhook: rejected a malformed admission request from {}: {}", ctx.channel().remoteAddress(),
                    malformed.problem());
            respondText(ctx, request, HttpResponseStatus.BAD_REQUEST, malformed.problem());
            return;
        }
        AdmissionReviewCodec.Review review = (AdmissionReviewCodec.Review) decoded;
        Verdict verdict;
        try {
            verdict = ConfigAdmission.review(review.change(), current.pools(), current.advertisements());
        } catch (RuntimeException e) {
            log.error("webhook: failed to judge {}", review.summary(), e);
            respondText(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "the webhook failed to judge "
                    + review.summary() + ": " + e);
            return;
        }
        if (verdict instanceof Verdict.Denied denied) {
            log.info("webhook: denied {}: {}", review.summary(), denied.message());
        } else if (review.change() instanceof ConfigChange.NoConfigEffect none) {
            log.debug("webhook: allowed {}: {}", review.summary(), none.why());
        } else {
            log.info("webhook: allowed {}", review.summary());
        }
        respond(ctx, request, HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON,
                AdmissionReviewCodec.encode(review.uid(), verdict));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that fails the TLS handshake or drops the connection is not our bug.
        if (cause instanceof ReadTimeoutException) {
            log.debug("webhook: closed the idle connection from {}", ctx.channel().remoteAddress());
        } else if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.warn("webhook: TLS failed with {}: {}", ctx.channel().remoteAddress(), cause.getCause().getMessage());
        } else {
            log.warn("webhook: connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        }
        ctx.close();
    }

    private static void respondText(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String message) {
        respond(ctx, request, status, HttpHeaderValues.TEXT_PLAIN + "; charset=utf-8",
                (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            CharSequence contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, body.length);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        // HttpServerKeepAliveHandler closes the connection after this response when it must.
        ctx.writeAndFlush(response);
    }
}
