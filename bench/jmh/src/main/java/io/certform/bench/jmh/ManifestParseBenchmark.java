package io.certform.bench.jmh;

import io.certform.manifest.ManifestParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

/** Reading and checking the manifest's YAML into its records (no certificate is read). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ManifestParseBenchmark {

    @Param({"10000"})
    public int bindings;

    private Path manifest;
    private ManifestParser parser;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        manifest = Rollout.manifest(Files.createTempDirectory("certform-jmh"), bindings);
        parser = new ManifestParser(Map.<String, String>of()::get);
    }

    @Benchmark
    public ManifestParser.Result parse() {
        ManifestParser.Result result = parser.parse(manifest, "certform.yaml");
        if (!result.ok()) {
            throw new IllegalStateException(result.diagnostics().all().toString());
        }
        return result;
    }
}
