/** Internals of the cluster module: Hazelcast configuration, entry processors, future bridging. */
package dev.overseer.cluster.impl;
