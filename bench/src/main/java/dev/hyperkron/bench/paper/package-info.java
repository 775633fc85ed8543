/**
 * The paper, reproduced: {@code hyperkron paper} runs the experiments of every figure as stages
 * (each an existing command, resumable), evaluates each claim of the paper on their results with
 * explicit head-to-head rules, and writes one self-contained HTML report (and Markdown tables)
 * with a verdict per claim. Above the commands it runs; nothing in the library depends on it.
 */
package dev.hyperkron.bench.paper;
