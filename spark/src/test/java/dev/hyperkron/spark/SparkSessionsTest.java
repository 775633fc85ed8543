package dev.hyperkron.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SparkSessionsTest {
    @Test
    void localMastersGetTaskRetriesOthersKeepTheirUrl() {
        assertEquals("local[2,4]", SparkSessions.withAttempts("local[2]", 4));
        assertEquals("local[*,3]", SparkSessions.withAttempts("local[*]", 3));
        assertEquals("local[1,2]", SparkSessions.withAttempts("local", 2));
        assertEquals("local[2,9]", SparkSessions.withAttempts("local[2,9]", 4));
        assertEquals("spark://h:7077", SparkSessions.withAttempts("spark://h:7077", 4));
        assertEquals("yarn", SparkSessions.withAttempts("yarn", 4));
        assertTrue(SparkSessions.isLocal("local[*]"));
        assertFalse(SparkSessions.isLocal("local[two]"));
    }

    @Test
    void theMasterDefaultsToSparkSubmitsThenToLocalOnEveryCore() {
        SparkOptions options = new SparkOptions();
        options.taskAttempts = 1;
        assertEquals("local[*]", options.master());
        String before = System.getProperty("spark.master");
        System.setProperty("spark.master", "yarn");
        try {
            options.master = null;
            assertEquals("yarn", options.master());
        } finally {
            if (before == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", before);
            }
        }
    }
}
