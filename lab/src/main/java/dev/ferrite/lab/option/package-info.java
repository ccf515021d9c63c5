/**
 * How the lab's command lines spell their values, shared by the lab command and the processes
 * it starts.
 */
package dev.ferrite.lab.option;
