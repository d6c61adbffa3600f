/** TPC-H tables with their standard names and types, a generator, and the 22 query texts. */
package dev.cairn.tpchdata;
