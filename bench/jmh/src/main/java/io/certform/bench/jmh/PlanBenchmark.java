package io.certform.bench.jmh;

import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
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

/** The planner's diff of the desired bindings against a state that records them all (1% to update). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlanBenchmark {

    @Param({"10000"})
    public int bindings;

    private List<DesiredBinding> desired;
    private io.certform.state.State prior;

    @Setup(Level.Trial)
    public void setUp() {
        desired = Rollout.desired(bindings);
        prior = Rollout.state(desired, 1);
    }

    @Benchmark
    public Plan plan() {
        Plan plan = Planner.plan(desired, prior);
        if (plan.toChange() != (bindings + 99) / 100) {
            throw new IllegalStateException("expected 1% updates, got " + plan.toChange());
        }
        return plan;
    }
}
