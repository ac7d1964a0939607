/**
 * Clustering: a Vert.x instance joined to a Hazelcast cluster, so that applications on any member
 * answer requests from connections held by any member. An edge package beside the layers.
 */
package dev.strata.cluster;
