/**
 * {@code ferrite bench}: commands that print benchmark figures as JSON. Each benchmark sits in
 * the package of what it measures, in this module only, so none ships to clusters.
 */
package dev.ferrite.bench;
