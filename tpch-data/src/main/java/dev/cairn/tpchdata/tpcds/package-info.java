/** TPC-DS tables with their standard names and Cairn types, a generator, and the 99 queries. */
package dev.cairn.tpchdata.tpcds;
