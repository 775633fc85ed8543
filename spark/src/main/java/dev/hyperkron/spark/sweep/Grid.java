package dev.hyperkron.spark.sweep;

import dev.hyperkron.bench.experiments.UserError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid of a command's configurations as a user types it: {@code --grid KEY=V1,V2,...} per swept
 * option (KEY is the command's option without its dashes) and the arguments every configuration
 * shares. The configurations are the Cartesian product, the first key varying slowest.
 */
public final class Grid {
    /** The commands a sweep can run: the app's experiments, each writing results.csv into its --out. */
    public static final Set<String> COMMANDS = Set.of("hyperclean", "text-clean", "figure2", "figure3", "figure5",
            "meta-learn", "poison", "influence");

    private final String command;
    private final Map<String, List<String>> axes;
    private final List<String> fixed;

    private Grid(String command, Map<String, List<String>> axes, List<String> fixed) {
        this.command = command;
        this.axes = axes;
        this.fixed = List.copyOf(fixed);
    }

    /**
     * Parses {@code KEY=V1,V2} axes; refuses an unknown command, a malformed or repeated key, an
     * empty value and {@code --out} among the fixed arguments (each run writes into its own folder).
     */
    public static Grid parse(String command, List<String> axes, List<String> fixed) {
        if (!COMMANDS.contains(command)) {
            throw new UserError("--command " + command + " cannot be swept: use one of " + String.join(", ",
                    COMMANDS.stream().sorted().toList()));
        }
        Map<String, List<String>> parsed = new LinkedHashMap<>();
        for (String axis : axes) {
            int eq = axis.indexOf('=');
            String key = eq < 0 ? "" : axis.substring(0, eq).trim();
            if (key.startsWith("--")) {
                key = key.substring(2);
            }
            if (eq < 0 || !key.matches("[a-z][a-z0-9-]*")) {
                throw new UserError("--grid " + axis + ": expected KEY=V1,V2,... with KEY an option of " + command
                        + " without its dashes, such as seed=0,1,2");
            }
            if (key.equals("out")) {
                throw new UserError("--grid out: every run writes into its own folder under the sweep's --out");
            }
            List<String> values = new ArrayList<>();
            for (String v : axis.substring(eq + 1).split(",", -1)) {
                if (v.isBlank()) {
                    throw new UserError("--grid " + axis + ": empty value");
                }
                if (values.contains(v.trim())) {
                    throw new UserError("--grid " + axis + ": value " + v.trim() + " twice");
                }
                values.add(v.trim());
            }
            if (parsed.put(key, values) != null) {
                throw new UserError("--grid names " + key + " twice: give its values in one --grid " + key + "=V1,V2");
            }
        }
        for (String arg : fixed) {
            if (arg.equals("--out") || arg.startsWith("--out=")) {
                throw new UserError("--fixed must not set --out: every run writes into its own folder under the "
                        + "sweep's --out");
            }
            for (String key : parsed.keySet()) {
                if (arg.equals("--" + key) || arg.startsWith("--" + key + "=")) {
                    throw new UserError("--" + key + " is both swept (--grid) and fixed (--fixed)");
                }
            }
        }
        return new Grid(command, parsed, fixed);
    }

    public String command() {
        return command;
    }

    /** The swept keys, in the order given. */
    public List<String> keys() {
        return List.copyOf(axes.keySet());
    }

    /** Every configuration, the first key varying slowest. */
    public List<Configuration> configurations() {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> point : points) {
                for (String value : axis.getValue()) {
                    Map<String, String> p = new LinkedHashMap<>(point);
                    p.put(axis.getKey(), value);
                    next.add(p);
                }
            }
            points = next;
        }
        List<Configuration> configurations = new ArrayList<>();
        for (Map<String, String> point : points) {
            List<String> args = new ArrayList<>();
            point.forEach((key, value) -> {
                args.add("--" + key);
                args.add(value);
            });
            args.addAll(fixed);
            configurations.add(new Configuration(id(point, args), command, args, point));
        }
        return configurations;
    }

    /** Readable grid values, then 8 hex digits of SHA-256 over the command line. */
    private String id(Map<String, String> point, List<String> args) {
        StringBuilder name = new StringBuilder();
        point.forEach((key, value) -> name.append(name.length() == 0 ? "" : "_").append(key).append('-')
                .append(value.replaceAll("[^A-Za-z0-9.+-]+", "")));
        String readable = name.length() > 80 ? name.substring(0, 80) : name.toString();
        return (readable.isEmpty() ? command : readable) + "_" + hash(command + "\u0000" + String.join("\u0000", args));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
