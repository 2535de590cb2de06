/**
 * Applying a plan: the changes run with bounded parallelism, each result is recorded in state as soon as it
 * arrives, and one binding's failure does not stop the others (an authentication failure stops new work, since
 * every further call would fail the same way).
 */
package io.certform.apply;
