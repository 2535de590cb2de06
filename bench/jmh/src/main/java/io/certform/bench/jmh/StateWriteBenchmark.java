package io.certform.bench.jmh;

import io.certform.plan.DesiredBinding;
import io.certform.state.LocalStateStore;
import io.certform.state.StateException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One durable write of the local state file (JSON, temp file, fsync, rename, the predecessor kept in the history),
 * as apply makes once at the end of a run. The disk's fsync is part of the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StateWriteBenchmark {

    @Param({"10000"})
    public int bindings;

    private List<DesiredBinding> desired;
    private LocalStateStore store;
    private long serial;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        desired = Rollout.desired(bindings);
        store = new LocalStateStore(Files.createTempDirectory("certform-jmh").resolve("certform.state.json"),
                "bench");
        serial = 0;
    }

    @Benchmark
    public void write() throws StateException {
        store.write(Rollout.state(desired, ++serial));
    }
}
