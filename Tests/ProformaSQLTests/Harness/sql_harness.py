#!/usr/bin/env python3
"""Loads usage CSV files into DuckDB or PostgreSQL as the table `usage` and runs a compiled proforma query on it.

The table: every column of the files' headers, named in lower case (the first of duplicate names counts), every
value kept as text (costs included, so that they are read exactly), empty values as NULL; columns the query needs
and the files lack (--columns) are added as columns of NULLs; rows shorter than the header are padded with NULLs.

    sql_harness.py --engine duckdb --sql query.sql --columns a,b,c file.csv [file2.csv.gz ...]
    sql_harness.py --engine postgres --pg-host /tmp/sock --pg-port 5433 --psql /usr/lib/postgresql/15/bin/psql ...

Prints the query's result as CSV (header first, decimals in plain notation) on stdout; with --explain, DuckDB's
EXPLAIN ANALYZE instead; with --timing, the seconds of loading and of the query on stderr; with --counts
STEP,..., the rows of those common table expressions of the query on stderr.
"""

import argparse
import csv
import decimal
import os
import subprocess
import sys
import tempfile
import time

import duckdb


def load_duckdb(connection, files, columns):
    paths = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    connection.execute(
        f"CREATE TABLE raw AS SELECT * FROM read_csv([{paths}], header = true, all_varchar = true, "
        "union_by_name = true, null_padding = true, normalize_names = false, auto_detect = true, sample_size = -1)")
    names = [row[0] for row in connection.execute("DESCRIBE raw").fetchall()]
    seen = set()
    select = []
    for name in names:
        lower = name.strip().lower()
        if lower in seen:
            continue
        seen.add(lower)
        select.append('NULLIF("%s", \'\') AS "%s"' % (name.replace('"', '""'), lower.replace('"', '""')))
    for column in columns:
        if column not in seen:
            seen.add(column)
            select.append('CAST(NULL AS VARCHAR) AS "%s"' % column)
    connection.execute("CREATE TABLE usage AS SELECT " + ", ".join(select) + " FROM raw")
    connection.execute("DROP TABLE raw")


def plain(value):
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def run_duckdb(args, query):
    connection = duckdb.connect()
    connection.execute("SET threads TO %d" % args.threads)
    start = time.time()
    load_duckdb(connection, args.files, args.columns)
    if args.timing:
        print("load_seconds=%.3f" % (time.time() - start), file=sys.stderr)
    if args.counts:
        # The rows of named steps of the query: its common table expressions, counted on their own.
        prefix = query[: query.rindex("\nSELECT ")]
        for name in args.counts.split(","):
            count = connection.execute(prefix + "\nSELECT COUNT(*) FROM " + name).fetchone()[0]
            print("count %s=%d" % (name, count), file=sys.stderr)
    if args.explain:
        start = time.time()
        rows = connection.execute("EXPLAIN ANALYZE " + query.rstrip().rstrip(";")).fetchall()
        print("query_seconds=%.3f" % (time.time() - start), file=sys.stderr)
        for row in rows:
            print(row[-1])
        return
    start = time.time()
    cursor = connection.execute(query)
    rows = cursor.fetchall()
    if args.timing:
        print("query_seconds=%.3f rows=%d" % (time.time() - start, len(rows)), file=sys.stderr)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([d[0] for d in cursor.description])
    for row in rows:
        writer.writerow([plain(v) for v in row])


def run_postgres(args, query):
    with tempfile.TemporaryDirectory() as folder:
        # The same table as DuckDB's, through DuckDB: one loader for both engines.
        connection = duckdb.connect()
        load_duckdb(connection, args.files, args.columns)
        names = [row[0] for row in connection.execute("DESCRIBE usage").fetchall()]
        path = os.path.join(folder, "usage.csv")
        connection.execute("COPY usage TO '%s' (HEADER, FORMAT csv)" % path)
        os.chmod(folder, 0o755)
        os.chmod(path, 0o644)
        table = ", ".join('"%s" TEXT' % n.replace('"', '""') for n in names)
        script = os.path.join(folder, "run.sql")
        with open(script, "w") as out:
            out.write("\\set ON_ERROR_STOP on\n")
            out.write("DROP TABLE IF EXISTS usage;\nCREATE TABLE usage (%s);\n" % table)
            out.write("\\copy usage FROM '%s' WITH (FORMAT csv, HEADER true)\n" % path)
            out.write("COPY (%s) TO STDOUT WITH (FORMAT csv, HEADER true);\n" % query.rstrip().rstrip(";"))
        start = time.time()
        done = subprocess.run(
            [args.psql, "-X", "-q", "-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", "postgres",
             "-f", script], capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            sys.exit(1)
        if args.timing:
            print("%.3f" % (time.time() - start), file=sys.stderr)
        sys.stdout.write(done.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["duckdb", "postgres"], required=True)
    parser.add_argument("--sql", required=True)
    parser.add_argument("--columns", default="")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--counts", default="", help="comma-separated steps of the query to count the rows of")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pg-host")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--psql", default="psql")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    args.columns = [c for c in args.columns.split(",") if c]
    with open(args.sql) as source:
        query = source.read()
    try:
        if args.engine == "duckdb":
            run_duckdb(args, query)
        else:
            run_postgres(args, query)
    except duckdb.Error as error:
        sys.stderr.write("duckdb: %s\n" % error)
        sys.exit(1)


if __name__ == "__main__":
    main()
