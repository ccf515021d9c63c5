/**
 * A drill's report: the summary table, JSON and the SVG timeline.
 */
package dev.ferrite.lab.report;
