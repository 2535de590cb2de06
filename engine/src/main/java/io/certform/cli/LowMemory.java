package io.certform.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;

/**
 * Memory running out during an apply: when a full collection leaves the long-lived part of the heap more than
 * {@link #FULL} occupied, the run is asked to stop as an interrupt asks it (no new call; the calls in flight finish
 * in the room left), before an {@link OutOfMemoryError} can strike a call halfway or a library thread. An
 * {@code OutOfMemoryError} that comes all the same is handled where it is thrown; this makes it rare.
 */
final class LowMemory implements AutoCloseable {

    /** The share of the old generation still occupied after a full collection at which the run stops. */
    static final double FULL = 0.90;

    private final List<MemoryPoolMXBean> pools = new ArrayList<>();
    private final List<Long> previous = new ArrayList<>();
    private NotificationEmitter emitter;
    private NotificationListener listener;

    private LowMemory() {
    }

    /** Watches the heap until closed; {@code onLow} runs (on a JVM thread) when memory is nearly exhausted. */
    static LowMemory during(Runnable onLow) {
        LowMemory watch = new LowMemory();
        try {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                String name = pool.getName();
                long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
                if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported() && max > 0
                        && !name.contains("Eden") && !name.contains("Survivor")) {
                    watch.previous.add(pool.getCollectionUsageThreshold());
                    pool.setCollectionUsageThreshold((long) (max * FULL));
                    watch.pools.add(pool);
                }
            }
            if (watch.pools.isEmpty()) {
                return watch;
            }
            watch.emitter = (NotificationEmitter) ManagementFactory.getMemoryMXBean();
            watch.listener = (Notification n, Object handback) -> {
                if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                    onLow.run();
                }
            };
            watch.emitter.addNotificationListener(watch.listener, null, null);
        } catch (RuntimeException | LinkageError unavailable) {
            // a JVM without these management beans: OutOfMemoryError is still handled where it is thrown
        }
        return watch;
    }

    @Override
    public void close() {
        if (emitter != null) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (ListenerNotFoundException ignored) {
                // already gone
            }
        }
        for (int i = 0; i < pools.size(); i++) {
            try {
                pools.get(i).setCollectionUsageThreshold(previous.get(i));
            } catch (RuntimeException ignored) {
                // the JVM keeps whatever it has
            }
        }
    }
}
