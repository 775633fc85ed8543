package dev.hyperkron.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Hyperparameters are validated once, with messages naming the optimizer, the setting and the value; defaults are PyTorch's. */
class SettingsValidationTest {

    @Test
    void sgdDefaultsArePyTorchs() {
        assertEquals(new SgdSettings(1e-3, 0, 0, false, 0), SgdSettings.builder().build());
    }

    @Test
    void adamAndAdamWDefaultsArePyTorchs() {
        assertEquals(new AdamSettings(1e-3, 0.9, 0.999, 1e-8, 0, false, false), AdamSettings.adam().build());
        assertEquals(new AdamSettings(1e-3, 0.9, 0.999, 1e-8, 1e-2, true, false), AdamSettings.adamW().build());
    }

    @Test
    void sgdRejectsOutOfRangeHyperparameters() {
        assertRejected(() -> SgdSettings.builder().learningRate(-0.1).build(), "SGD: learning rate must be finite and >= 0, got -0.1");
        assertRejected(() -> SgdSettings.builder().learningRate(Double.NaN).build(), "learning rate must be finite and >= 0, got NaN");
        assertRejected(() -> SgdSettings.builder().momentum(-0.9).build(), "SGD: momentum must be finite and >= 0, got -0.9");
        assertRejected(() -> SgdSettings.builder().dampening(1.5).build(), "SGD: dampening must be in [0, 1], got 1.5");
        assertRejected(() -> SgdSettings.builder().weightDecay(-1e-4).build(), "SGD: weight decay must be finite and >= 0, got -1.0E-4");
        assertRejected(() -> SgdSettings.builder().weightDecay(Double.POSITIVE_INFINITY).build(), "weight decay must be finite");
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        assertRejected(() -> SgdSettings.builder().nesterov(true).build(),
                "Nesterov momentum needs momentum > 0 and dampening 0, got momentum 0.0 and dampening 0.0");
        assertRejected(() -> SgdSettings.builder().nesterov(true).momentum(0.9).dampening(0.1).build(),
                "got momentum 0.9 and dampening 0.1");
        assertEquals(0.9, SgdSettings.builder().nesterov(true).momentum(0.9).build().momentum());
    }

    @Test
    void adamRejectsOutOfRangeHyperparameters() {
        assertRejected(() -> AdamSettings.adam().learningRate(-1).build(), "Adam: learning rate must be finite and >= 0, got -1.0");
        assertRejected(() -> AdamSettings.adam().betas(1.0, 0.999).build(), "Adam: beta1 must be in [0, 1), got 1.0");
        assertRejected(() -> AdamSettings.adam().betas(0.9, -0.1).build(), "Adam: beta2 must be in [0, 1), got -0.1");
        assertRejected(() -> AdamSettings.adam().eps(-1e-8).build(), "Adam: eps must be finite and >= 0, got -1.0E-8");
        assertRejected(() -> AdamSettings.adamW().weightDecay(-0.01).build(), "AdamW: weight decay must be finite and >= 0, got -0.01");
    }

    @Test
    void optimizersNeedSettings() {
        assertRejected(() -> new Sgd(null), "Sgd: settings is null");
        assertRejected(() -> new Adam(null), "Adam: settings is null");
        assertRejected(() -> new SgdUpdate(null), "SgdUpdate: settings is null");
    }

    private static void assertRejected(Executable build, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
