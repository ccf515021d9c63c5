/**
 * {@code ferrite import-metallb}: rewrites MetalLB's L2 objects as Ferrite's and reports what
 * could not be carried over.
 */
package dev.ferrite.api.migrate;
