package dev.hyperkron.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds the device a name asks for: the host, or one of the {@link DeviceProvider}s on the class path. */
final class DeviceSelection {
    /** The provided devices this project knows of, named in errors even when their module is absent. */
    private static final List<String> KNOWN_PROVIDED = List.of("cuda");

    private DeviceSelection() {
    }

    static Device named(String spec) {
        String name = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (name.equals("cpu") || name.equals("host")) {
            return Device.host();
        }
        String family = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        List<String> names = new ArrayList<>(List.of("cpu"));
        for (DeviceProvider provider : ServiceLoader.load(DeviceProvider.class)) {
            if (provider.name().equals(family)) {
                try {
                    return provider.open(name);
                } catch (IllegalStateException e) {
                    throw new IllegalArgumentException("device '" + spec + "' is unavailable: " + e.getMessage(), e);
                }
            }
            names.add(provider.name());
        }
        if (KNOWN_PROVIDED.contains(family)) {
            throw new IllegalArgumentException("device '" + spec + "' is unavailable: its module (hyperkron-gpu, built on "
                    + "JDK 22 or newer) is not on the class path");
        }
        KNOWN_PROVIDED.stream().filter(k -> !names.contains(k)).forEach(names::add);
        throw new IllegalArgumentException("'" + spec + "' is not a device: use one of "
                + String.join(", ", names.stream().map(n -> "'" + n + "'").toList()));
    }
}
