/**
 * Command-line options shared by several commands, as picocli mixins, so that each option is
 * declared, described and validated once. Below the commands ({@code cli}, {@code perf}) and above
 * the experiments they configure.
 */
package dev.hyperkron.bench.options;
