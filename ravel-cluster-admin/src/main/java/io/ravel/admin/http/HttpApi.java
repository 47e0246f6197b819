package io.ravel.admin.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.ravel.admin.AdminException;
import io.ravel.admin.group.AdminRole;
import io.ravel.admin.placement.LeaderTracker;
import io.ravel.admin.placement.ReplicaProbes;
import io.ravel.admin.routing.KvRouter;
import io.ravel.admin.state.AdminState;
import io.ravel.common.HostPort;
import io.ravel.common.StartupProbes;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The admin's HTTP API on Javalin: POST /put, /get, /delete (and /batch, /scan: {@link BulkRoutes}) for clients; GET /health, /metrics and
 * /clusters for operators, and the console at /ui (static files from the jar's {@code ui/} folder); GET /openapi.json
 * describes them all (OpenAPI 3). Every answer is JSON (metrics: Prometheus text); errors are
 * {@code {"error": "..."}} with 400 (bad body), 404 (unknown key or route), 405 (wrong method),
 * 409 (an {@code ifVersion} that does not match; the body adds {@code "version"}),
 * 413 (body over the admin's {@code --maxRequestBytes}) or 503 (no cluster, no leader in time, partition held too long).
 * Key routes are asynchronous: the handler returns at once and the response is written when the
 * replica's gRPC future completes, so no Jetty thread waits for a Raft commit.
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private static final byte[] OK = "{\"msg\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final List<String> KEY_ROUTES = List.of("/put", "/get", "/delete", "/batch", "/scan");
    private static final List<String> STATUS_ROUTES = List.of("/health", "/metrics", "/clusters", "/openapi.json");

    private final KvRouter router;
    private final AdminRole role;
    private final StatusPages pages;
    private final HttpMetrics metrics;
    private final Javalin app;
    /** Largest accepted request body; larger bodies get 413. */
    private final int maxBodyBytes;

    public HttpApi(KvRouter router, AdminState state, LeaderTracker leaders, AdminRole role, ReplicaProbes probes,
                   int maxBodyBytes) {
        this.router = router;
        this.role = role;
        this.maxBodyBytes = maxBodyBytes;
        this.pages = new StatusPages(state, role, probes);
        this.metrics = new HttpMetrics(state, leaders, router.owners());
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = maxBodyBytes;
            config.jetty.threadPool = threadPool();
            config.staticFiles.add(files -> {
                files.hostedPath = "/ui";
                files.directory = "/ui";
                files.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            });
        });
        app.get("/ui", ctx -> ctx.redirect("/ui/index.html"));
        app.post("/put", ctx -> key(ctx, "/put", true));
        app.post("/get", ctx -> key(ctx, "/get", false));
        app.post("/delete", ctx -> key(ctx, "/delete", false));
        app.get("/health", ctx -> answer(ctx, "/health", System.nanoTime(), 200, pages.health()));
        app.get("/clusters", ctx -> answer(ctx, "/clusters", System.nanoTime(), 200, pages.clusters()));
        byte[] openApi = OpenApiDocument.load();
        app.get("/openapi.json", ctx -> answer(ctx, "/openapi.json", System.nanoTime(), 200, openApi));
        app.get("/metrics", ctx -> {
            ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
            metrics.record("/metrics", 200, 0);
        });
        for (HandlerType method : HandlerType.values()) {
            if (!method.isHttpMethod()) {
                continue;
            }
            for (String route : KEY_ROUTES) {
                if (method != HandlerType.POST) {
                    app.addHttpHandler(method, route, ctx -> wrongMethod(ctx, route, "POST"));
                }
            }
            for (String route : STATUS_ROUTES) {
                if (method != HandlerType.GET && method != HandlerType.HEAD) {
                    app.addHttpHandler(method, route, ctx -> wrongMethod(ctx, route, "GET"));
                }
            }
        }
        app.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e.getStatus() == 404 ? "no such route: " + ctx.method() + " " + ctx.path() : e.getMessage();
            answer(ctx, "unmatched", System.nanoTime(), e.getStatus(), Json.error(message));
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            ctx.status(500).contentType("application/json").result(Json.error("internal error: " + e.getMessage()));
        });
    }

    /**
     * Jetty's threads. Key routes never wait on a replica (their answer is written by the gRPC callback),
     * so a handful of threads keeps every core busy; Javalin's default of up to 250 threads only adds
     * context switches on a small machine.
     */
    private static QueuedThreadPool threadPool() {
        int cores = Runtime.getRuntime().availableProcessors();
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(16, 4 * cores), Math.max(4, cores), 60_000);
        pool.setName("JettyServerThreadPool");
        return pool;
    }

    /** Binds and starts serving; throws {@link IllegalStateException} with a one-line reason on failure. */
    public void start(HostPort address) {
        try {
            app.start(address.ipHost(), address.port());
        } catch (RuntimeException e) {
            app.stop();
            throw new IllegalStateException("cannot serve HTTP on " + address + ": " + StartupProbes.bindFailure(e), e);
        }
    }

    /** The bound HTTP port (useful when started on port 0). */
    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }

    private void key(Context ctx, String route, boolean put) {
        long start = System.nanoTime();
        KvRequest request;
        try {
            request = KvRequest.parse(readBody(ctx), put);
        } catch (AdminException e) {
            fail(ctx, route, start, e);
            return;
        }
        CompletableFuture<byte[]> reply = admitted().thenCompose(admitted -> request.options() != KvOptions.NONE
                ? VersionedRoutes.reply(router, route, request) : switch (route) {
            case "/put" -> router.put(request.key(), request.jsonValue()).thenApply(v -> OK);
            case "/get" -> router.get(request.key()).thenApply(value -> Json.write(g -> {
                g.writeStartObject();
                g.writeStringField("key", request.key());
                g.writeFieldName("val");
                g.writeRawValue(new String(value, java.nio.charset.StandardCharsets.UTF_8));
                g.writeEndObject();
            }));
            default -> router.delete(request.key()).thenApply(v -> OK);
        });
        ctx.future(() -> reply.handle((body, error) -> {
            if (error == null) {
                answer(ctx, route, start, 200, body);
            } else {
                AdminException a = AdminException.find(error);
                if (a == null) {
                    LOG.error("unexpected failure on {}", route, error);
                    a = new AdminException(AdminException.Reason.INTERNAL, "internal error: " + error.getMessage());
                }
                fail(ctx, route, start, a);
            }
            return null;
        }));
    }

    /**
     * Completes once a key request may be routed: at once while this admin is in touch with its admin
     * group; otherwise (no admin leader in sight, or still replaying the group's log) only if the admin
     * leader's owner table can be fetched through another admin, else it fails with the reason.
     */
    private CompletableFuture<Void> admitted() {
        String unavailable = role.unavailable();
        if (unavailable == null) {
            return CompletableFuture.completedFuture(null);
        }
        return router.owners().reachesLeader().thenAccept(reached -> {
            if (!reached) {
                throw new AdminException(AdminException.Reason.UNAVAILABLE, unavailable);
            }
        });
    }

    /** Serves POST /batch and POST /scan ({@link BulkRoutes}); called before {@link #start}. */
    public void bulk(io.ravel.admin.routing.BatchRouter batches, io.ravel.admin.routing.ScanRouter scans) {
        BulkRoutes routes = new BulkRoutes(batches, scans);
        app.post("/batch", ctx -> serve(ctx, "/batch", routes::batch));
        app.post("/scan", ctx -> serve(ctx, "/scan", routes::scan));
    }

    /** Runs a route whose handler parses the body (throwing AdminException) and answers from a future. */
    private void serve(Context ctx, String route, java.util.function.Function<byte[], CompletableFuture<byte[]>> handler) {
        long start = System.nanoTime();
        CompletableFuture<byte[]> reply;
        try {
            byte[] body = readBody(ctx);
            reply = admitted().thenCompose(admitted -> handler.apply(body));
        } catch (AdminException e) {
            fail(ctx, route, start, e);
            return;
        }
        ctx.future(() -> reply.handle((body, error) -> {
            AdminException a = error == null ? null : AdminException.find(error);
            if (error == null) {
                answer(ctx, route, start, 200, body);
            } else if (a != null) {
                fail(ctx, route, start, a);
            } else {
                LOG.error("unexpected failure on {}", route, error);
                fail(ctx, route, start, new AdminException(AdminException.Reason.INTERNAL, "internal error: " + error.getMessage()));
            }
            return null;
        }));
    }

    /** The body, read up to the limit; TOO_LARGE past it (whatever Content-Length claimed). */
    private byte[] readBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw tooLarge();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new AdminException(AdminException.Reason.BAD_REQUEST, "the request body could not be read");
        }
    }

    private AdminException tooLarge() {
        return new AdminException(AdminException.Reason.TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes (the admin's --maxRequestBytes)");
    }

    private void wrongMethod(Context ctx, String route, String allowed) {
        ctx.header("Allow", allowed);
        answer(ctx, route, System.nanoTime(), 405,
                Json.error(ctx.method() + " is not allowed on " + route + "; use " + allowed));
    }

    private void fail(Context ctx, String route, long start, AdminException e) {
        answer(ctx, route, start, ErrorMapping.status(e),
                e.version() >= 0 ? Json.error(e.getMessage(), e.version()) : Json.error(e.getMessage()));
    }

    private void answer(Context ctx, String route, long start, int status, byte[] body) {
        ctx.status(status).contentType("application/json").result(body);
        metrics.record(route, status, System.nanoTime() - start);
    }
}
