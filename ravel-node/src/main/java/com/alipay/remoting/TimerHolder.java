package com.alipay.remoting;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ravel's replacement for bolt's timer of RPC timeouts (the Raft transport), taking precedence over
 * the class of the same name in bolt's jar (Ravel's classes come first on the class path).
 *
 * <p>Bolt's own is a Netty {@code HashedWheelTimer} ticking every 10 ms: once a replica has sent one
 * Raft RPC (a leader from its first heartbeat on), its thread wakes 100 times a second for good, with
 * or without anything to time out, which was a quarter of an idle leader's CPU. Here every timeout is
 * a task of one scheduled executor thread that sleeps until the next deadline; a timeout answered in
 * time (the usual case) is removed when bolt cancels it. Bolt only calls {@link #getTimer()} and
 * {@link Timer#newTimeout}.
 */
public final class TimerHolder {

    private static final Logger LOG = LoggerFactory.getLogger(TimerHolder.class);
    private static final Timer TIMER = new ScheduledTimer();

    private TimerHolder() {
    }

    /** The timer bolt schedules its RPC timeouts and connection heartbeats on. */
    public static Timer getTimer() {
        return TIMER;
    }

    private static final class ScheduledTimer implements Timer {
        private final ScheduledThreadPoolExecutor executor;

        ScheduledTimer() {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "bolt-rpc-timeouts");
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
        }

        @Override
        public Timeout newTimeout(TimerTask task, long delay, TimeUnit unit) {
            ScheduledTimeout timeout = new ScheduledTimeout(this, task);
            timeout.future = executor.schedule(timeout::expire, delay, unit);
            return timeout;
        }

        @Override
        public Set<Timeout> stop() {
            executor.shutdownNow();
            return Set.of();
        }
    }

    private static final class ScheduledTimeout implements Timeout {
        private final Timer timer;
        private final TimerTask task;
        private volatile ScheduledFuture<?> future;
        private volatile boolean expired;

        ScheduledTimeout(Timer timer, TimerTask task) {
            this.timer = timer;
            this.task = task;
        }

        private void expire() {
            expired = true;
            try {
                task.run(this);
            } catch (Throwable t) {
                // as Netty's wheel does: a failing task is logged and does not stop the timer
                LOG.warn("a bolt timeout task failed", t);
            }
        }

        @Override
        public Timer timer() {
            return timer;
        }

        @Override
        public TimerTask task() {
            return task;
        }

        @Override
        public boolean isExpired() {
            return expired;
        }

        @Override
        public boolean isCancelled() {
            ScheduledFuture<?> f = future;
            return f != null && f.isCancelled();
        }

        @Override
        public boolean cancel() {
            ScheduledFuture<?> f = future;
            return f != null && !expired && f.cancel(false);
        }
    }
}
