/**
 * Overseer on a Vert.x cluster backed by Hazelcast: a clustered bootstrap with settings fit for
 * supervision, a stash that survives a member's departure, cluster-wide names, and the
 * distributed supervisor.
 */
package dev.overseer.cluster;
