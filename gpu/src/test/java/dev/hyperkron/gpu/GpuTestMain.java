package dev.hyperkron.gpu;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs the GPU test classes named on the command line without Maven, for a device machine that has
 * a JDK but no build tool (bench/scripts/gpu-check.sh). Prints one line per container and failure,
 * then the summary; exits 1 on any failure.
 */
public final class GpuTestMain {
    private GpuTestMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        List<ClassSelector> selectors = new ArrayList<>();
        for (String name : args) {
            selectors.add(selectClass(Class.forName(name)));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestExecutionListener lines = new TestExecutionListener() {
            @Override
            public void executionSkipped(TestIdentifier id, String reason) {
                System.out.println("SKIPPED " + id.getDisplayName() + ": " + reason);
            }

            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    System.out.println(result.getStatus() + " " + id.getDisplayName() + ": "
                            + result.getThrowable().map(t -> String.valueOf(t.getMessage()).lines().limit(12)
                            .reduce((a, b) -> a + "\n    " + b).orElse("")).orElse(""));
                } else if (id.isContainer() && id.getSource().isPresent()) {
                    System.out.println("OK " + id.getDisplayName());
                }
            }
        };
        launcher.execute(request, summary, lines);
        summary.getSummary().printTo(new PrintWriter(System.out, true));
        System.exit(summary.getSummary().getTotalFailureCount() == 0 ? 0 : 1);
    }
}
