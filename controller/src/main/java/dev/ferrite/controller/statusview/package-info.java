/**
 * {@code ferrite status} (and {@code kubectl ferrite}): reads pools, Services and
 * ServiceL2Status and prints who announces what.
 */
package dev.ferrite.controller.statusview;
