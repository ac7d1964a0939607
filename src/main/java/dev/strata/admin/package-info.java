/** The admin HTTP server: JSON API over the connection registry, metrics, health, the dashboard. */
package dev.strata.admin;
