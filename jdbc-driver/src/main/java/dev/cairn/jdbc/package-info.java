/** The jdbc:cairn: driver, shipped as one shaded jar. */
package dev.cairn.jdbc;
