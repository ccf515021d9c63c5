/**
 * The HTTP server behind the lab's Services: in every pod, naming the pod, the node the
 * request came in through and the client address it sees; kept-alive connections.
 */
package dev.ferrite.lab.backend;
