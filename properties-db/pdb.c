/* SPDX-License-Identifier: MIT */
/*
 * pdb.c - SQLite storage of facts and verdicts.
 *
 * Durability rules: facts of one TU are replaced in one transaction, results
 * in another, so an interrupted run leaves either the old or the new state
 * of each, never a mix.  A busy timeout lets concurrent fnprop runs on one
 * database wait for each other instead of failing.  Statements are prepared
 * once per handle and reused.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdb.h"

/* The columns pdb_read_func reads, with the two verdicts (no row: proven). */
#define PDB_FUNC_SELECT                                                                                                \
  "SELECT f.id, f.name, f.usr, f.path_key, f.file, f.linkage, f.line, f.col, f.has_body, f.annots, "                   \
  "coalesce(t.verdict, 0), coalesce(p.verdict, 0), f.note, f.task, f.hdecl_file, f.hdecl_line, f.hdecl_col, "          \
  "f.hdecl_end, f.system, f.hidden FROM func f LEFT JOIN verdict t ON t.func = f.id AND t.property = 0 "               \
  "LEFT JOIN verdict p ON p.func = f.id AND p.property = 1 "

enum {
  S_TU_LOOKUP,
  S_TU_INSERT,
  S_TU_DELETE_FACTS,
  S_TU_DELETE_DIAG,
  S_TU_DELETE_INPUT,
  S_TU_DELETE_LOOKUP,
  S_FACTS_INS,
  S_FACTS_GET,
  S_DIAG_INS,
  S_INPUT_INS,
  S_LOOKUP_INS,
  S_LOOKUP_GET,
  S_TU_ROW,
  S_RES_FUNC,
  S_RES_ICALL,
  S_RES_STORE,
  S_RES_VERDICT,
  S_RES_KIND,
  S_RES_VNAME,
  S_GET_FUNC,
  S_GET_HOP,
  S_INPUT_GET,
  S_INPUT_TOUCH,
  S_TU_COMPLETE,
  S_META_GET,
  S_META_PUT,
  S_NSTMTS
};

static const char *const pdb_sql[S_NSTMTS] = {
    [S_TU_LOOKUP] = "SELECT id FROM tu WHERE file = ?1 AND flags_hash = ?2",
    [S_TU_INSERT] =
        "INSERT INTO tu(file, directory, flags_hash, complete, pic, field_facts) VALUES (?1,?2,?3,?4,?5,?6) "
        "ON CONFLICT(file, flags_hash) DO UPDATE SET directory = ?2, complete = ?4, pic = ?5, "
        "field_facts = ?6 RETURNING id",
    [S_TU_DELETE_FACTS] = "DELETE FROM tu_facts WHERE tu = ?1",
    [S_TU_DELETE_DIAG] = "DELETE FROM tu_diag WHERE tu = ?1",
    [S_TU_DELETE_INPUT] = "DELETE FROM tu_input WHERE tu = ?1",
    [S_TU_DELETE_LOOKUP] = "DELETE FROM tu_lookup WHERE tu = ?1",
    [S_FACTS_INS] = "INSERT INTO tu_facts(tu, data, sum) VALUES (?1, ?2, ?3)",
    [S_FACTS_GET] = "SELECT data, sum FROM tu_facts WHERE tu = ?1",
    [S_LOOKUP_INS] = "INSERT OR REPLACE INTO tu_lookup(tu, data, sum) VALUES (?1, ?2, ?3)",
    [S_LOOKUP_GET] = "SELECT data, sum FROM tu_lookup WHERE tu = ?1",
    [S_TU_ROW] = "SELECT file, directory, flags_hash, complete, pic, field_facts FROM tu WHERE id = ?1",
    [S_DIAG_INS] = "INSERT INTO tu_diag(tu, file, line, col, error, message) VALUES (?1,?2,?3,?4,?5,?6)",
    [S_INPUT_INS] = "INSERT INTO tu_input(tu, path, size, mtime_ns, inode, ctime_ns, hash) "
                    "VALUES (?1,?2,?3,?4,?5,?6,?7)",
    [S_INPUT_GET] = "SELECT path, size, mtime_ns, inode, ctime_ns, hash FROM tu_input WHERE tu = ?1 ORDER BY rowid",
    [S_INPUT_TOUCH] = "UPDATE tu_input SET size = ?3, mtime_ns = ?4, inode = ?5, ctime_ns = ?6 "
                      "WHERE tu = ?1 AND path = ?2",
    [S_TU_COMPLETE] = "SELECT complete FROM tu WHERE id = ?1",
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [S_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
    [S_RES_FUNC] = "INSERT INTO func(id, usr, path_key, name, file, line, col, linkage, has_body, annots, system, "
                   "note, task, hdecl_file, hdecl_line, hdecl_col, hdecl_end, hidden) "
                   "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
    [S_RES_ICALL] = "INSERT INTO icall(func, file, line, col, fntype, slot, mode, trusted, candidates) "
                    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [S_RES_STORE] =
        "INSERT INTO contract_store(func, in_func, file, line, col, contract, dest_kind, dest, callee, arg) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [S_RES_VERDICT] = "INSERT INTO verdict(func, property, verdict, why, next, kind, detail, file, line, col, "
                      "decl_file, decl_line, depth, terminal, how, through, origin) "
                      "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?14,?15,?16,?17,?18)",
    [S_RES_KIND] = "INSERT INTO effect_kind(id, name, property) VALUES (?1,?2,?3)",
    [S_RES_VNAME] = "INSERT INTO verdict_name(id, name) VALUES (?1,?2)",
    [S_GET_FUNC] = PDB_FUNC_SELECT "WHERE f.id = ?1",
    [S_GET_HOP] = "SELECT verdict, why, next, kind, detail, file, line, col, decl_file, decl_line, depth, terminal, "
                  "how, through, origin "
                  "FROM verdict WHERE func = ?1 AND property = ?2",
};

static const char pdb_schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE tu(id INTEGER PRIMARY KEY, file TEXT NOT NULL, directory TEXT NOT NULL,\n"
    "  flags_hash TEXT NOT NULL, complete INTEGER NOT NULL, pic INTEGER NOT NULL DEFAULT 0,\n"
    "  field_facts INTEGER NOT NULL DEFAULT 0, UNIQUE(file, flags_hash));\n"

    "CREATE TABLE tu_input(tu INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER, mtime_ns INTEGER,\n"
    "  inode INTEGER, ctime_ns INTEGER, hash BLOB);\n"
    "CREATE INDEX tu_input_tu ON tu_input(tu);\n"
    "CREATE TABLE tu_diag(tu INTEGER NOT NULL, file TEXT, line INTEGER, col INTEGER, error INTEGER,\n"
    "  message TEXT);\n"
    "CREATE INDEX tu_diag_tu ON tu_diag(tu);\n"
    "CREATE TABLE tu_facts(tu INTEGER PRIMARY KEY, data BLOB NOT NULL, sum INTEGER NOT NULL);\n"
    "CREATE TABLE tu_lookup(tu INTEGER PRIMARY KEY, data BLOB NOT NULL, sum INTEGER NOT NULL);\n"
    "CREATE TABLE effect_kind(id INTEGER PRIMARY KEY, name TEXT NOT NULL, property TEXT);\n"
    "CREATE TABLE verdict_name(id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE func(id INTEGER PRIMARY KEY, usr TEXT NOT NULL, path_key TEXT NOT NULL,\n"
    "  name TEXT NOT NULL, file TEXT, line INTEGER, col INTEGER, linkage TEXT, has_body INTEGER,\n"
    "  annots INTEGER, system INTEGER, note TEXT, task INTEGER NOT NULL DEFAULT 0, hdecl_file TEXT,\n"
    "  hdecl_line INTEGER, hdecl_col INTEGER, hdecl_end INTEGER, hidden INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE icall(func INTEGER NOT NULL, file TEXT, line INTEGER, col INTEGER, fntype TEXT,\n"
    "  slot TEXT, mode TEXT, trusted INTEGER, candidates INTEGER);\n"
    "CREATE TABLE contract_store(func INTEGER NOT NULL, in_func INTEGER, file TEXT, line INTEGER,\n"
    "  col INTEGER, contract INTEGER, dest_kind INTEGER, dest TEXT, callee INTEGER, arg INTEGER);\n"
    "CREATE INDEX func_name ON func(name);\n"
    "CREATE TABLE verdict(func INTEGER NOT NULL, property INTEGER NOT NULL, verdict INTEGER NOT NULL,\n"
    "  why INTEGER NOT NULL, next INTEGER, kind INTEGER, detail TEXT, file TEXT, line INTEGER,\n"
    "  col INTEGER, decl_file TEXT, decl_line INTEGER, depth INTEGER, terminal INTEGER,\n"
    "  how INTEGER, through TEXT, origin TEXT,\n"
    "  PRIMARY KEY(func, property))\n"
    "  WITHOUT ROWID;\n"
    "CREATE VIEW properties AS\n"
    "  SELECT f.name AS name, f.usr AS usr, f.file AS file, f.line AS line, f.linkage AS linkage,\n"
    "    (SELECT name FROM verdict_name WHERE id = coalesce(t.verdict, 0)) AS tls,\n"
    "    (SELECT name FROM verdict_name WHERE id = coalesce(p.verdict, 0)) AS panic,\n"
    "    nullif(trim(coalesce('tls: ' || (SELECT hop FROM verdict_hop h WHERE h.func = f.id AND h.property = 0), '')\n"
    "      || coalesce('; panic: ' || (SELECT hop FROM verdict_hop h WHERE h.func = f.id AND h.property = 1), ''),\n"
    "      '; '), '') AS witness,\n"
    "    (SELECT name FROM verdict_name WHERE id = coalesce(m.verdict, 0)) AS migrate,\n"
    "    CASE m.why WHEN 2 THEN 'calls ''' || (SELECT name FROM func WHERE id = m.next) || ''' at '\n"
    "      || m.file || ':' || m.line || ':' || m.col ELSE m.text END AS migrate_witness\n"
    "  FROM func f LEFT JOIN verdict t ON t.func = f.id AND t.property = 0\n"
    "    LEFT JOIN verdict p ON p.func = f.id AND p.property = 1\n"
    "    LEFT JOIN migrate m ON m.func = f.id\n"
    "  WHERE f.has_body AND NOT f.system;\n"
    "CREATE VIEW verdict_hop AS\n"
    "  SELECT v.func AS func, v.property AS property,\n"
    "    CASE v.why WHEN 2 THEN 'calls ''' || (SELECT name FROM func WHERE id = v.next) || ''' at '\n"
    "      ELSE (SELECT name FROM effect_kind WHERE id = v.kind) || ' ''' || v.detail || ''' at ' END\n"
    "      || v.file || ':' || v.line || ':' || v.col AS hop\n"
    "  FROM verdict v;\n"
    "CREATE TABLE migrate(func INTEGER PRIMARY KEY, verdict INTEGER NOT NULL, why INTEGER NOT NULL,\n"
    "  next INTEGER, kind INTEGER, text TEXT, file TEXT, line INTEGER, col INTEGER, access_file TEXT,\n"
    "  access_line INTEGER, access_col INTEGER, susp_file TEXT, susp_line INTEGER, susp_col INTEGER,\n"
    "  use_file TEXT, use_line INTEGER, use_col INTEGER, access_text TEXT, susp_text TEXT, use_text TEXT,\n"
    "  depth INTEGER, terminal INTEGER);\n";

/* 64-bit FNV-1a: the checksums of this file (the schema's, the facts',
 * the results'), chainable from PDB_FNV_INIT. */
#define PDB_FNV_INIT 0xcbf29ce484222325ULL

static uint64_t pdb_fnv(uint64_t h, const void *p, size_t n) {
  for (const unsigned char *c = p; n--; c++) h = (h ^ *c) * 0x100000001b3ULL;
  return h;
}

static uint64_t pdb_fnv_str(uint64_t h, const char *s) { return pdb_fnv(h, s, strlen(s)); }

static char *pdb_strdup(const char *s) {
  size_t n = s ? strlen(s) + 1 : 0;
  char *d = n ? malloc(n) : NULL;
  return d ? memcpy(d, s, n) : NULL;
}

struct pdb {
  sqlite3 *db;
  sqlite3_stmt *st[S_NSTMTS];
  sqlite3_stmt *migrate_get, *migrate_put; /* stage 3 (end of this file) */
  char err[512];
  char *path;
  int64_t expect_gen;   /* facts generation the results to store were solved
                         from; -1: not checked */
  int facts_changed;    /* the last pdb_results_begin refused: facts moved on */
  int busy_ms;          /* how long a locked database is waited for */
};

const char *pdb_error(const pdb *db) { return db ? db->err : "out of memory"; }

/* Who holds the lock: SQLite locks with POSIX record locks, on the -shm
 * file in WAL mode (bytes 120..127: writer, checkpointer, recovery,
 * readers) and on the database file itself otherwise (the pending, reserved
 * and shared bytes at 1 GiB).  F_GETLK names the process. */
static const char *pdb_lock_holder(const char *path, char *out, size_t n) {
  static const struct {
    const char *suffix;
    off_t start, len;
  } where[] = {{"-shm", 120, 1}, {"-shm", 120, 8}, {"", 0x40000000, 512}};
  for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
    char p[4096];
    snprintf(p, sizeof p, "%s%s", path, where[i].suffix);
    int fd = open(p, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) continue;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = where[i].start, .l_len = where[i].len};
    int got = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    if (!got) continue;
    char comm[64] = "", cp[64];
    snprintf(cp, sizeof cp, "/proc/%ld/comm", (long)fl.l_pid);
    FILE *f = fopen(cp, "r");
    if (f) {
      if (fgets(comm, sizeof comm, f)) comm[strcspn(comm, "\n")] = '\0';
      fclose(f);
    }
    snprintf(out, n, "held by process %ld%s%s%s", (long)fl.l_pid, comm[0] ? " (" : "", comm, comm[0] ? ")" : "");
    return out;
  }
  snprintf(out, n, "held by another process (on another host, or no longer known)");
  return out;
}

/* An existing file that is not an SQLite database is never turned into
 * one.  SQLite refuses a non-empty one by itself, but takes an empty file
 * for a new database: that is fine for `mktemp` names and *.db files, not
 * for an empty source or header someone passed by mistake. */
static int pdb_refuse_foreign(const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0) return 0; /* created */
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "cannot open database '%s': it is not a regular file; choose another file with --db", path);
    return -1;
  }
  if (st.st_size > 0) return 0;
  static const char *const source[] = {".c",   ".h",   ".i", ".cc", ".cpp",  ".cxx",   ".hh",     ".hpp", ".hxx",
                                       ".inc", ".def", ".s", ".S",  ".json", ".model", ".fnprop", ".txt", ".md"};
  const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
  for (size_t i = 0; dot && (!slash || dot > slash) && i < sizeof source / sizeof *source; i++)
    if (strcmp(dot, source[i]) == 0) {
      snprintf(err, errlen,
               "'%s' is an empty %s file, not an fnprop database; fnprop will not turn it into one: "
               "choose another file with --db",
               path, dot);
      return -1;
    }
  return 0;
}

int pdb_oom(pdb *db, const char *what) {
  snprintf(db->err, sizeof db->err, "out of memory %s in '%s'", what, db->path);
  return -1;
}

/* SQLite's message plus, for I/O failures, the system's reason ("disk I/O
 * error" alone does not say that the disk is full or the file too large). */
static const char *pdb_why(const pdb *db, char *buf, size_t n) {
  int code = sqlite3_errcode(db->db) & 0xff, sys = sqlite3_system_errno(db->db);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    char who[160];
    snprintf(buf, n, "%s: %s for more than %d s; wait for it to finish or pass --lock-timeout=SECONDS",
             sqlite3_errmsg(db->db), pdb_lock_holder(db->path, who, sizeof who), db->busy_ms / 1000);
  } else if (sys && (code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN || code == SQLITE_READONLY))
    snprintf(buf, n, "%s (%s)", sqlite3_errmsg(db->db), strerror(sys));
  else snprintf(buf, n, "%s", sqlite3_errmsg(db->db));
  return buf;
}

static int pdb_fail(pdb *db, const char *what) {
  char why[256];
  int corrupt = (sqlite3_errcode(db->db) & 0xff) == SQLITE_CORRUPT;
  snprintf(db->err, sizeof db->err, "%s '%s': %s%s", what, db->path, pdb_why(db, why, sizeof why),
           corrupt ? "; the database is damaged: delete it to re-analyze" : "");
  return -1;
}

static int pdb_exec(pdb *db, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    char why[256];
    snprintf(db->err, sizeof db->err, "database '%s': %s", db->path, pdb_why(db, why, sizeof why));
    sqlite3_free(msg);
    return -1;
  }
  return 0;
}

/* Ends the transaction: commits when ok, else (or when the commit fails)
 * rolls back.  Returns 0 only when committed, so a caller's failure can
 * never leave half of its writes behind. */
static int pdb_end(pdb *db, int ok) {
  if (ok && pdb_exec(db, "COMMIT") == 0) return 0;
  sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
  return -1;
}

static sqlite3_stmt *pdb_stmt(pdb *db, int which) {
  if (!db->st[which] &&
      sqlite3_prepare_v3(db->db, pdb_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &db->st[which], NULL) != SQLITE_OK) {
    pdb_fail(db, "cannot prepare a statement on");
    return NULL;
  }
  sqlite3_reset(db->st[which]);
  sqlite3_clear_bindings(db->st[which]);
  return db->st[which];
}

static int pdb_int_pragma(pdb *db, const char *sql, long *out) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK) return -1;
  int rc = sqlite3_step(s);
  *out = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* The schema's fingerprint, stored in meta: a database written by a build
 * with another schema text (an older fnprop) is rebuilt, since everything
 * in it is a cache of what the sources say. */
static char pdb_schema_id[17];

static const char *pdb_schema_fingerprint(void) {
  if (!pdb_schema_id[0]) {
    uint64_t h = 0xcbf29ce484222325ULL; /* 64-bit FNV-1a */
    for (const unsigned char *p = (const unsigned char *)pdb_schema; *p; p++) h = (h ^ *p) * 0x100000001b3ULL;
    snprintf(pdb_schema_id, sizeof pdb_schema_id, "%016llx", (unsigned long long)h);
  }
  return pdb_schema_id;
}

/* A checksum of the schema as stored (sqlite_master's text): a damaged view
 * or table definition makes the database be rebuilt, like another schema. */
static int pdb_schema_sum(pdb *db, char out[24]) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                         "ORDER BY name",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  uint64_t h = PDB_FNV_INIT;
  int step;
  while ((step = sqlite3_step(s)) == SQLITE_ROW)
    for (int c = 0; c < 4; c++) {
      const char *t = (const char *)sqlite3_column_text(s, c);
      h = pdb_fnv_str(h, t ? t : "\x1e");
    }
  sqlite3_finalize(s);
  snprintf(out, 24, "%016llx", (unsigned long long)h);
  return step == SQLITE_DONE ? 0 : pdb_fail(db, "cannot read");
}

static int pdb_schema_sum_ok(pdb *db) {
  char now[24];
  if (pdb_schema_sum(db, now) < 0) return -1;
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = 'schema_sql'", -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int step = sqlite3_step(s);
  int ok = step == SQLITE_ROW && sqlite3_column_text(s, 0) && strcmp((const char *)sqlite3_column_text(s, 0), now) == 0;
  if (step != SQLITE_ROW && step != SQLITE_DONE) ok = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return ok;
}

/* 1 when the stored fingerprint is ours, 0 when it differs or there is no
 * meta table, -1 when it cannot be read (never a reason to rebuild). */
static int pdb_schema_current(pdb *db) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &s, NULL) != SQLITE_OK) {
    int code = sqlite3_errcode(db->db) & 0xff;
    return code == SQLITE_ERROR ? 0 : pdb_fail(db, "cannot read"); /* SQLITE_ERROR: no such table */
  }
  int step = sqlite3_step(s);
  int ok = step == SQLITE_ROW && sqlite3_column_text(s, 0) &&
           strcmp((const char *)sqlite3_column_text(s, 0), pdb_schema_fingerprint()) == 0;
  if (step != SQLITE_ROW && step != SQLITE_DONE) ok = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return ok == 1 ? pdb_schema_sum_ok(db) : ok;
}

/* A growing text for the two statements built here (pdb_drop_all,
 * pdb_create_schema): constants, integers and quoted names of our own
 * tables only, never data (tests/robust/sql_rule.awk). */
typedef struct pdb_text {
  char *s;
  size_t n, cap;
  int failed;
} pdb_text;

static void pdb_text_add(pdb_text *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + n + 1) cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p) {
      b->failed = 1;
      return;
    }
    b->s = p, b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->s[b->n += n] = '\0';
}

static void pdb_text_puts(pdb_text *b, const char *s) { pdb_text_add(b, s, strlen(s)); }

static void pdb_text_int(pdb_text *b, long v) {
  char num[32];
  pdb_text_add(b, num, (size_t)snprintf(num, sizeof num, "%ld", v));
}

/* Drops every table and view (only ever called on our own database). */
static int pdb_drop_all(pdb *db) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
                         "AND name NOT LIKE 'sqlite_%'",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  pdb_text b = {0};
  while (sqlite3_step(s) == SQLITE_ROW) {
    pdb_text_puts(&b, strcmp((const char *)sqlite3_column_text(s, 0), "view") ? "DROP TABLE IF EXISTS \""
                                                                              : "DROP VIEW IF EXISTS \"");
    for (const char *p = (const char *)sqlite3_column_text(s, 1); *p; p++) /* quotes doubled */
      pdb_text_add(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    pdb_text_puts(&b, "\";\n");
  }
  sqlite3_finalize(s);
  if (b.failed) snprintf(db->err, sizeof db->err, "out of memory rebuilding '%s'", db->path);
  int rc = b.failed ? -1 : b.s ? pdb_exec(db, b.s) : 0;
  free(b.s);
  return rc;
}

static int pdb_create_schema(pdb *db) {
  if (pdb_exec(db, "BEGIN IMMEDIATE") < 0) return -1;
  long ver;
  /* Another process may have created it while we waited for the lock; a
   * failed read is an error, never a reason to drop what is stored. */
  int cur = pdb_int_pragma(db, "PRAGMA user_version", &ver) < 0 ? pdb_fail(db, "cannot read")
            : ver == PDB_SCHEMA_VERSION                         ? pdb_schema_current(db)
                                                                : 0;
  if (cur < 0) {
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
  }
  if (cur) return pdb_exec(db, "COMMIT");
  if (pdb_drop_all(db) < 0) return pdb_end(db, 0);
  pdb_text b = {0};
  pdb_text_puts(&b, pdb_schema);
  pdb_text_puts(&b, "INSERT INTO meta VALUES ('schema', '");
  pdb_text_puts(&b, pdb_schema_fingerprint()); /* 16 hex digits */
  pdb_text_puts(&b, "');\nPRAGMA application_id = ");
  pdb_text_int(&b, PDB_APPLICATION_ID);
  pdb_text_puts(&b, ";\nPRAGMA user_version = ");
  pdb_text_int(&b, PDB_SCHEMA_VERSION);
  pdb_text_puts(&b, ";\n");
  if (b.failed) snprintf(db->err, sizeof db->err, "out of memory creating '%s'", db->path);
  int rc = b.failed ? -1 : pdb_exec(db, b.s);
  free(b.s);
  char sum[24];
  if (rc == 0 && pdb_schema_sum(db, sum) == 0) {
    sqlite3_stmt *s;
    rc = sqlite3_prepare_v2(db->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_sql', ?1)", -1, &s,
                            NULL) == SQLITE_OK
             ? 0
             : pdb_fail(db, "cannot write to database");
    if (rc == 0) {
      sqlite3_bind_text(s, 1, sum, -1, SQLITE_STATIC);
      rc = sqlite3_step(s) == SQLITE_DONE ? 0 : pdb_fail(db, "cannot write to database");
      sqlite3_finalize(s);
    }
  } else {
    rc = -1;
  }
  return pdb_end(db, rc == 0);
}

/* application_id, user_version and the number of schema objects, read in
 * one statement: one snapshot, so a concurrent run that creates the schema
 * between two reads cannot make our own new database look foreign. */
static int pdb_identity(pdb *db, long *app, long *ver, long *tables) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT (SELECT application_id FROM pragma_application_id), "
                         "(SELECT user_version FROM pragma_user_version), "
                         "(SELECT count(*) FROM sqlite_master)",
                         -1, &s, NULL) != SQLITE_OK)
    return -1;
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    *app = (long)sqlite3_column_int64(s, 0);
    *ver = (long)sqlite3_column_int64(s, 1);
    *tables = (long)sqlite3_column_int64(s, 2);
  }
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? 0 : -1;
}

/* Decides whether the file is ours, new, foreign or too new. */
static int pdb_check_identity(pdb *db, int readonly) {
  long app, ver, tables;
  if (pdb_identity(db, &app, &ver, &tables) < 0) {
    char why[256];
    int code = sqlite3_errcode(db->db) & 0xff;
    pdb_why(db, why, sizeof why);
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
      snprintf(db->err, sizeof db->err,
               "'%s' is not an fnprop database or is damaged (%s); fnprop will not touch it: if it is an fnprop "
               "database, delete it to re-analyze, otherwise choose another file with --db",
               db->path, why);
    else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      snprintf(db->err, sizeof db->err, "database '%s' stayed locked by another process (%s); try again later",
               db->path, why);
    else
      snprintf(db->err, sizeof db->err,
               "cannot read database '%s' (%s): it lies on a read-only location or lacks permissions; make it "
               "readable and writable or choose another file with --db",
               db->path, why);
    return -1;
  }
  if (app == 0 && tables == 0 && ver == 0) {
    if (readonly) {
      snprintf(db->err, sizeof db->err, "database '%s' is empty; run fnprop -p on the build first", db->path);
      return -1;
    }
    return pdb_create_schema(db);
  }
  if (app != PDB_APPLICATION_ID) {
    snprintf(db->err, sizeof db->err,
             "'%s' is an SQLite database of another application (application_id %ld); fnprop will not "
             "modify it: choose another file with --db",
             db->path, app);
    return -1;
  }
  if (ver > PDB_SCHEMA_VERSION) {
    snprintf(db->err, sizeof db->err,
             "database '%s' has schema version %ld, newer than this fnprop understands (%d); use a newer "
             "fnprop or another --db",
             db->path, ver, PDB_SCHEMA_VERSION);
    return -1;
  }
  int cur = ver < PDB_SCHEMA_VERSION ? 0 : pdb_schema_current(db);
  if (cur < 0) return -1;
  if (!cur) {
    if (readonly) {
      snprintf(db->err, sizeof db->err,
               "database '%s' was written by another fnprop version; run fnprop -p on "
               "the build to refresh it",
               db->path);
      return -1;
    }
    return pdb_create_schema(db); /* a cache: rebuilt, never migrated */
  }
  return 0;
}

pdb *pdb_open(const char *path, int readonly, char *err, size_t errlen) {
  return pdb_open_timeout(path, readonly, PDB_LOCK_TIMEOUT_DEFAULT * 1000, err, errlen);
}

pdb *pdb_open_timeout(const char *path, int readonly, int lock_timeout_ms, char *err, size_t errlen) {
  if (!readonly && pdb_refuse_foreign(path, err, errlen) < 0) return NULL;
  pdb *db = calloc(1, sizeof *db);
  if (!db || !(db->path = pdb_strdup(path))) {
    snprintf(err, errlen, "out of memory opening '%s'", path);
    free(db);
    return NULL;
  }
  int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path, &db->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    char why[256];
    snprintf(err, errlen,
             "cannot open database '%s': %s; check the path and its permissions or choose "
             "another file with --db",
             path, db->db ? pdb_why(db, why, sizeof why) : "out of memory");
    pdb_close(db);
    return NULL;
  }
  if (!readonly && sqlite3_db_readonly(db->db, "main") == 1) {
    snprintf(err, errlen,
             "database '%s' is read-only (file permissions or a read-only file system) and fnprop "
             "must write it; make it writable or choose another file with --db",
             path);
    pdb_close(db);
    return NULL;
  }
  db->expect_gen = -1;
  db->busy_ms = lock_timeout_ms < 0 ? 0 : lock_timeout_ms;
  sqlite3_busy_timeout(db->db, db->busy_ms);
  sqlite3_extended_result_codes(db->db, 1);
  /* Ours: keep the -wal and -shm files when closing.  Creating and deleting
   * them in every run would change the directory that holds the database,
   * often one that header search watches (analyzer/hsearch.h). */
  int persist = 1;
  if (pdb_check_identity(db, readonly) < 0 ||
      (!readonly && sqlite3_file_control(db->db, "main", SQLITE_FCNTL_PERSIST_WAL, &persist) != SQLITE_OK) ||
      (!readonly && pdb_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;") < 0) ||
      pdb_exec(db, "PRAGMA foreign_keys = OFF") < 0) {
    snprintf(err, errlen, "%s", db->err);
    pdb_close(db);
    return NULL;
  }
  return db;
}

void pdb_close(pdb *db) {
  if (!db) return;
  for (int i = 0; i < S_NSTMTS; i++) sqlite3_finalize(db->st[i]);
  sqlite3_finalize(db->migrate_get);
  sqlite3_finalize(db->migrate_put);
  sqlite3_close(db->db);
  free(db->path);
  free(db);
}

static int pdb_step_done(pdb *db, sqlite3_stmt *s);
static int pdb_meta_int(pdb *db, const char *key, int64_t *out);
static void pdb_column_hash(sqlite3_stmt *s, int col, unsigned char out[32]);

/* ---- meta ----------------------------------------------------------------- */
static int pdb_meta_put(pdb *db, const char *key, const char *value) {
  sqlite3_stmt *s = pdb_stmt(db, S_META_PUT);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? 0 : pdb_fail(db, "cannot write to database");
}

/* ---- results: tied to the facts they came from, sealed by a checksum -------
 * The results carry the facts generation they were solved from (stored only
 * if it is still current, checked under the write lock) and a checksum over
 * every result row and the tables the reports join with; results that do
 * not match it are solved again, never reported. */
static int pdb_results_digest(pdb *db, uint64_t *out) {
  static const char *const sql[] = {
      "SELECT * FROM func ORDER BY id",
      "SELECT * FROM verdict ORDER BY func, property",
      "SELECT * FROM icall ORDER BY rowid",
      "SELECT * FROM contract_store ORDER BY rowid",
      "SELECT * FROM verdict_name ORDER BY id",
      "SELECT * FROM effect_kind ORDER BY id",
      "SELECT * FROM migrate ORDER BY func",
      "SELECT key, value FROM meta WHERE key IN ('results_key', 'results_gen', 'unseen', 'dropped_flags', "
      "'interposable', 'transparent', 'programs') "
      "ORDER BY key",
  };
  uint64_t h = PDB_FNV_INIT;
  for (size_t q = 0; q < sizeof sql / sizeof sql[0]; q++) {
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db->db, sql[q], -1, &s, NULL) != SQLITE_OK) return pdb_fail(db, "cannot read");
    int step, ncol = sqlite3_column_count(s);
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
      for (int c = 0; c < ncol; c++) {
        int64_t t = sqlite3_column_type(s, c), n;
        h = pdb_fnv(h, &t, sizeof t);
        if (t == SQLITE_INTEGER) {
          n = sqlite3_column_int64(s, c);
          h = pdb_fnv(h, &n, sizeof n);
        } else if (t == SQLITE_FLOAT) {
          double d = sqlite3_column_double(s, c);
          h = pdb_fnv(h, &d, sizeof d);
        } else if (t != SQLITE_NULL) {
          const void *p = t == SQLITE_TEXT ? (const void *)sqlite3_column_text(s, c) : sqlite3_column_blob(s, c);
          n = sqlite3_column_bytes(s, c);
          h = pdb_fnv(pdb_fnv(h, &n, sizeof n), p ? p : "", (size_t)n);
        }
      }
    sqlite3_finalize(s);
    if (step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  }
  *out = h;
  return 0;
}

/* Inside the results transaction, after every row is written. */
static int pdb_seal_results(pdb *db) {
  int64_t gen;
  char v[32];
  if (pdb_meta_int(db, "facts_gen", &gen) < 0) return -1;
  snprintf(v, sizeof v, "%lld", (long long)gen);
  uint64_t sum;
  if (pdb_meta_put(db, "results_gen", v) < 0 || pdb_results_digest(db, &sum) < 0) return -1;
  snprintf(v, sizeof v, "%lld", (long long)(int64_t)sum);
  return pdb_meta_put(db, "results_sum", v);
}

/* Inside the results transaction, first: the facts must still be the ones
 * the results were solved from. */
static int pdb_gen_ok(pdb *db) {
  int64_t gen;
  db->facts_changed = 0;
  if (db->expect_gen < 0) return 1;
  if (pdb_meta_int(db, "facts_gen", &gen) < 0) return 0;
  if (gen == db->expect_gen) return 1;
  db->facts_changed = 1;
  snprintf(db->err, sizeof db->err,
           "the facts in '%s' changed while solving (another fnprop run stored newer "
           "ones); solve again",
           db->path);
  return 0;
}

void pdb_expect_gen(pdb *db, int64_t gen) { db->expect_gen = gen; }
int pdb_lock_timeout_ms(const pdb *db) { return db->busy_ms; }
int pdb_facts_changed(const pdb *db) { return db->facts_changed; }

int pdb_each_tu_gen(pdb *db, int64_t *gen, int (*fn)(void *arg, const pdb_tu *tu, const char *flags_hash), void *arg) {
  if (pdb_exec(db, "BEGIN") < 0) return -1; /* one snapshot: the generation and the facts agree */
  int rc = pdb_meta_int(db, "facts_gen", gen);
  if (rc == 0) rc = pdb_each_tu(db, 0, fn, arg);
  if (rc == 0) sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
  else sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

int pdb_results_current(pdb *db, const char *key) {
  sqlite3_stmt *s = pdb_stmt(db, S_META_GET);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, "results_key", -1, SQLITE_STATIC);
  int step = sqlite3_step(s);
  int cur =
      step == SQLITE_ROW && sqlite3_column_text(s, 0) && strcmp((const char *)sqlite3_column_text(s, 0), key) == 0;
  sqlite3_reset(s);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  int64_t gen, rgen, sum;
  uint64_t now;
  if (cur && (pdb_meta_int(db, "facts_gen", &gen) < 0 || pdb_meta_int(db, "results_gen", &rgen) < 0)) return -1;
  cur = cur && gen == rgen;
  if (cur && (pdb_meta_int(db, "results_sum", &sum) < 0 || pdb_results_digest(db, &now) < 0)) return -1;
  return cur && (uint64_t)sum == now;
}

/* ---- which compile database ----------------------------------------------- */
int pdb_bind_compdb(pdb *db, const char *dir) {
  sqlite3_stmt *s = pdb_stmt(db, S_META_GET);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, "compdb", -1, SQLITE_STATIC);
  int step = sqlite3_step(s);
  char *have = step == SQLITE_ROW ? pdb_strdup((const char *)sqlite3_column_text(s, 0)) : NULL;
  sqlite3_reset(s);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  int rc = 0;
  if (have && strcmp(have, dir) != 0) {
    snprintf(db->err, sizeof db->err,
             "database '%s' belongs to the compile database in '%s', not '%s'; pass "
             "--db with another file for this build (or delete it to re-analyze)",
             db->path, have, dir);
    rc = -1;
  } else if (!have) {
    if (pdb_exec(db, "BEGIN IMMEDIATE") < 0) return -1;
    /* Another run may have bound it meanwhile: read again under the lock. */
    s = pdb_stmt(db, S_META_GET);
    sqlite3_bind_text(s, 1, "compdb", -1, SQLITE_STATIC);
    step = s ? sqlite3_step(s) : SQLITE_ERROR;
    have = step == SQLITE_ROW ? pdb_strdup((const char *)sqlite3_column_text(s, 0)) : NULL;
    if (s) sqlite3_reset(s);
    if (have && strcmp(have, dir) != 0) {
      snprintf(db->err, sizeof db->err,
               "database '%s' belongs to the compile database in '%s', not '%s'; pass "
               "--db with another file for this build (or delete it to re-analyze)",
               db->path, have, dir);
      rc = -1;
    }
    rc = pdb_end(db, rc == 0 && step != SQLITE_ERROR && (have || pdb_meta_put(db, "compdb", dir) == 0));
  }
  free(have);
  return rc;
}

int pdb_meta_get(pdb *db, const char *key, char *buf, size_t n) {
  sqlite3_stmt *s = pdb_stmt(db, S_META_GET);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(s), found = 0;
  if (n) buf[0] = '\0';
  if (step == SQLITE_ROW && sqlite3_column_text(s, 0)) {
    snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
    found = 1;
  }
  sqlite3_reset(s);
  return step == SQLITE_ROW || step == SQLITE_DONE ? found : pdb_fail(db, "cannot read");
}

/* ---- cache ---------------------------------------------------------------- */
int pdb_tu_inputs(pdb *db, int64_t tu, int *complete, int (*fn)(void *arg, const pdb_input *in), void *arg) {
  sqlite3_stmt *s = pdb_stmt(db, S_TU_COMPLETE);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, tu);
  *complete = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
  sqlite3_reset(s);
  if (!(s = pdb_stmt(db, S_INPUT_GET))) return -1;
  sqlite3_bind_int64(s, 1, tu);
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    pdb_input in = {(const char *)sqlite3_column_text(s, 0),
                    sqlite3_column_int64(s, 1),
                    sqlite3_column_int64(s, 2),
                    sqlite3_column_int64(s, 3),
                    sqlite3_column_int64(s, 4),
                    {0}};
    pdb_column_hash(s, 5, in.hash);
    if (!in.path) in.path = "";
    rc = fn(arg, &in);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_reset(s);
  return rc;
}

int pdb_touch_input(pdb *db, int64_t tu, const pdb_input *in) {
  sqlite3_stmt *s = pdb_stmt(db, S_INPUT_TOUCH);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, tu);
  sqlite3_bind_text(s, 2, in->path, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, in->size);
  sqlite3_bind_int64(s, 4, in->mtime_ns);
  sqlite3_bind_int64(s, 5, in->inode);
  sqlite3_bind_int64(s, 6, in->ctime_ns);
  return pdb_step_done(db, s);
}

/* ---- facts ---------------------------------------------------------------- */
static void pdb_bind_loc(sqlite3_stmt *s, int at, const char *file, int64_t line, int64_t col) {
  sqlite3_bind_text(s, at, file, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, at + 1, line);
  sqlite3_bind_int64(s, at + 2, col);
}

static int pdb_step_done(pdb *db, sqlite3_stmt *s) {
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : pdb_fail(db, "cannot write to database");
}

/* ---- checksums and the facts generation -------------------------------------
 * Each TU's facts carry a checksum over the row's fields, its inputs (path
 * and content hash, in order) and the blob; its lookups one over their
 * blob.  A damaged value is then never trusted: the TU is parsed again.
 * Not a defence against someone who can write the file (they can write
 * any verdict), only against damage.  The facts generation counts every
 * change of stored facts, so results can be tied to the facts they came
 * from. */
static uint64_t pdb_sum_row(const char *file, const char *dir, const char *flags_hash, int complete, int pic,
                            int field_facts) {
  int v[3] = {complete, pic, field_facts};
  uint64_t h = pdb_fnv_str(pdb_fnv_str(pdb_fnv_str(PDB_FNV_INIT, file ? file : ""), dir ? dir : ""),
                           flags_hash ? flags_hash : "");
  return pdb_fnv(h, v, sizeof v);
}

static uint64_t pdb_sum_input(uint64_t h, const char *path, const unsigned char hash[32]) {
  return pdb_fnv(pdb_fnv_str(h, path ? path : ""), hash, 32);
}

static void pdb_column_hash(sqlite3_stmt *s, int col, unsigned char out[32]) {
  const void *p = sqlite3_column_blob(s, col);
  memset(out, 0, 32);
  if (p && sqlite3_column_bytes(s, col) == 32) memcpy(out, p, 32);
}

static int pdb_put_lookups(pdb *db, int64_t id, const void *data, size_t n) {
  sqlite3_stmt *s = pdb_stmt(db, S_LOOKUP_INS);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_blob64(s, 2, data ? data : "", n, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, (int64_t)pdb_fnv(PDB_FNV_INIT, data ? data : "", n));
  return pdb_step_done(db, s);
}

static int pdb_meta_int(pdb *db, const char *key, int64_t *out) {
  sqlite3_stmt *s = pdb_stmt(db, S_META_GET);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  int step = sqlite3_step(s);
  *out =
      step == SQLITE_ROW && sqlite3_column_text(s, 0) ? strtoll((const char *)sqlite3_column_text(s, 0), NULL, 10) : 0;
  sqlite3_reset(s);
  return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : pdb_fail(db, "cannot read");
}

/* Inside a write transaction. */
static int pdb_bump_gen(pdb *db) {
  int64_t gen;
  char v[32];
  if (pdb_meta_int(db, "facts_gen", &gen) < 0) return -1;
  snprintf(v, sizeof v, "%lld", (long long)gen + 1);
  return pdb_meta_put(db, "facts_gen", v);
}

int pdb_tu_verify(pdb *db, int64_t id) {
  sqlite3_stmt *s = pdb_stmt(db, S_TU_ROW);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, id);
  int step = sqlite3_step(s);
  if (step != SQLITE_ROW) {
    sqlite3_reset(s);
    return step == SQLITE_DONE ? 0 : pdb_fail(db, "cannot read");
  }
  uint64_t sum = pdb_sum_row((const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
                             (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 3),
                             sqlite3_column_int(s, 4), sqlite3_column_int(s, 5));
  sqlite3_reset(s);
  if (!(s = pdb_stmt(db, S_INPUT_GET))) return -1;
  sqlite3_bind_int64(s, 1, id);
  while ((step = sqlite3_step(s)) == SQLITE_ROW) {
    unsigned char h[32];
    pdb_column_hash(s, 5, h);
    sum = pdb_sum_input(sum, (const char *)sqlite3_column_text(s, 0), h);
  }
  sqlite3_reset(s);
  if (step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  if (!(s = pdb_stmt(db, S_FACTS_GET))) return -1;
  sqlite3_bind_int64(s, 1, id);
  int ok = 0;
  if ((step = sqlite3_step(s)) == SQLITE_ROW) {
    const void *p = sqlite3_column_blob(s, 0);
    sum = pdb_fnv(sum, p ? p : "", (size_t)sqlite3_column_bytes(s, 0));
    ok = (uint64_t)sqlite3_column_int64(s, 1) == sum;
  }
  sqlite3_reset(s);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  return ok;
}

int pdb_tu_lookups(pdb *db, int64_t id, void **data, size_t *n) {
  *data = NULL, *n = 0;
  sqlite3_stmt *s = pdb_stmt(db, S_LOOKUP_GET);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, id);
  int step = sqlite3_step(s), ok = 0;
  if (step == SQLITE_ROW) {
    const void *p = sqlite3_column_blob(s, 0);
    size_t len = (size_t)sqlite3_column_bytes(s, 0);
    ok = p && (uint64_t)sqlite3_column_int64(s, 1) == pdb_fnv(PDB_FNV_INIT, p, len);
    if (ok && !(*data = malloc(len + 1))) {
      sqlite3_reset(s);
      return pdb_oom(db, "reading header lookups");
    }
    if (ok) memcpy(*data, p, len), *n = len;
  }
  sqlite3_reset(s);
  if (step != SQLITE_ROW && step != SQLITE_DONE) return pdb_fail(db, "cannot read");
  return ok;
}

int pdb_touch_lookups(pdb *db, int64_t id, const void *data, size_t n) { return pdb_put_lookups(db, id, data, n); }

int64_t pdb_tu_lookup(pdb *db, const char *file, const char *flags_hash) {
  sqlite3_stmt *s = pdb_stmt(db, S_TU_LOOKUP);
  if (!s) return -1;
  sqlite3_bind_text(s, 1, file, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, flags_hash, -1, SQLITE_STATIC);
  int step = sqlite3_step(s);
  int64_t id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  if (step != SQLITE_ROW && step != SQLITE_DONE) id = pdb_fail(db, "cannot read"); /* not "absent" */
  sqlite3_reset(s);
  return id;
}

static int pdb_delete_facts(pdb *db, int64_t tu) {
  for (int k = S_TU_DELETE_FACTS; k <= S_TU_DELETE_LOOKUP; k++) {
    sqlite3_stmt *s = pdb_stmt(db, k);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, tu);
    if (pdb_step_done(db, s) < 0) return -1;
  }
  return 0;
}

static int pdb_insert_facts(pdb *db, int64_t id, const pdb_tu *tu, const char *flags_hash) {
  uint64_t sum = pdb_sum_row(tu->file, tu->directory, flags_hash, tu->complete, tu->pic, tu->field_facts);
  for (size_t i = 0; i < tu->ninputs; i++) sum = pdb_sum_input(sum, tu->inputs[i].path, tu->inputs[i].hash);
  sum = pdb_fnv(sum, tu->facts ? tu->facts : "", tu->facts_len);
  sqlite3_stmt *s = pdb_stmt(db, S_FACTS_INS);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, id);
  sqlite3_bind_blob64(s, 2, tu->facts ? tu->facts : "", tu->facts_len, SQLITE_STATIC);
  sqlite3_bind_int64(s, 3, (int64_t)sum);
  return pdb_step_done(db, s) == 0 ? pdb_put_lookups(db, id, tu->lookups, tu->lookups_len) : -1;
}

static int pdb_insert_rest(pdb *db, int64_t id, const pdb_tu *tu) {
  for (size_t i = 0; i < tu->ndiags; i++) {
    const pdb_diag *d = &tu->diags[i];
    sqlite3_stmt *s = pdb_stmt(db, S_DIAG_INS);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    pdb_bind_loc(s, 2, d->file, d->line, d->col);
    sqlite3_bind_int(s, 5, d->error);
    sqlite3_bind_text(s, 6, d->message, -1, SQLITE_STATIC);
    if (pdb_step_done(db, s) < 0) return -1;
  }
  for (size_t i = 0; i < tu->ninputs; i++) {
    sqlite3_stmt *s = pdb_stmt(db, S_INPUT_INS);
    if (!s) return -1;
    sqlite3_bind_int64(s, 1, id);
    const pdb_input *in = &tu->inputs[i];
    sqlite3_bind_text(s, 2, in->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, in->size);
    sqlite3_bind_int64(s, 4, in->mtime_ns);
    sqlite3_bind_int64(s, 5, in->inode);
    sqlite3_bind_int64(s, 6, in->ctime_ns);
    sqlite3_bind_blob(s, 7, in->hash, sizeof in->hash, SQLITE_STATIC);
    if (pdb_step_done(db, s) < 0) return -1;
  }
  return 0;
}

int pdb_store_tu(pdb *db, const pdb_tu *tu, const char *flags_hash) {
  if (pdb_exec(db, "BEGIN IMMEDIATE") < 0) return -1;
  sqlite3_stmt *s = pdb_stmt(db, S_TU_INSERT);
  int64_t id = 0;
  if (s) {
    sqlite3_bind_text(s, 1, tu->file, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, tu->directory, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, flags_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, tu->complete);
    sqlite3_bind_int(s, 5, tu->pic);
    sqlite3_bind_int(s, 6, tu->field_facts);
    if (sqlite3_step(s) == SQLITE_ROW) id = sqlite3_column_int64(s, 0);
    else pdb_fail(db, "cannot write to database");
    sqlite3_reset(s);
  }
  return pdb_end(db, id > 0 && pdb_meta_put(db, "results_key", "") == 0 && pdb_bump_gen(db) == 0 &&
                         pdb_delete_facts(db, id) == 0 && pdb_insert_facts(db, id, tu, flags_hash) == 0 &&
                         pdb_insert_rest(db, id, tu) == 0);
}

int pdb_prune_tus(pdb *db, const int64_t *keep, size_t n) {
  if (pdb_exec(db, "BEGIN IMMEDIATE") < 0) return -1;
  sqlite3_stmt *q;
  if (sqlite3_prepare_v2(db->db, "SELECT id FROM tu ORDER BY id", -1, &q, NULL) != SQLITE_OK) {
    sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return pdb_fail(db, "cannot read");
  }
  struct {
    int64_t *v;
    size_t n, cap;
  } gone = {0};
  size_t k = 0;
  int ok = 1, step = SQLITE_DONE;
  while (ok && (step = sqlite3_step(q)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(q, 0);
    while (k < n && keep[k] < id) k++;
    if (k < n && keep[k] == id) continue;
    if (gone.n == gone.cap) {
      size_t cap = gone.cap ? 2 * gone.cap : 16;
      int64_t *v = realloc(gone.v, cap * sizeof *v);
      if (!v) {
        ok = 0;
        break;
      }
      gone.v = v, gone.cap = cap;
    }
    gone.v[gone.n++] = id;
  }
  /* A read that stopped early would keep TUs that left the build. */
  if (!ok) snprintf(db->err, sizeof db->err, "out of memory pruning '%s'", db->path);
  else if (step != SQLITE_DONE) ok = pdb_fail(db, "cannot read") == 0;
  sqlite3_finalize(q);
  sqlite3_stmt *del = NULL;
  if (ok && sqlite3_prepare_v2(db->db, "DELETE FROM tu WHERE id = ?1", -1, &del, NULL) != SQLITE_OK)
    ok = pdb_fail(db, "cannot prepare a statement on") == 0;
  if (ok && gone.n) ok = pdb_meta_put(db, "results_key", "") == 0 && pdb_bump_gen(db) == 0;
  for (size_t i = 0; ok && i < gone.n; i++) {
    ok = pdb_delete_facts(db, gone.v[i]) == 0;
    sqlite3_bind_int64(del, 1, gone.v[i]);
    if (ok) ok = pdb_step_done(db, del) == 0;
  }
  sqlite3_finalize(del);
  free(gone.v);
  return pdb_end(db, ok);
}

/* ---- reading facts back --------------------------------------------------- */
int pdb_damaged(pdb *db, const char *file, const char *why) {
  snprintf(db->err, sizeof db->err, "database '%s' holds damaged facts for '%s' (%s); delete it to re-analyze",
           db->path, file && file[0] ? file : "?", why);
  return -1;
}

/* The inputs of TU `id`, copied (row strings do not outlive a step). */
typedef struct pdb_inputs {
  pdb_input *v;
  size_t n, cap;
} pdb_inputs;

static void pdb_inputs_free(pdb_inputs *in) {
  for (size_t i = 0; i < in->n; i++) free((char *)in->v[i].path);
  free(in->v);
  memset(in, 0, sizeof *in);
}

static int pdb_load_inputs(pdb *db, int64_t id, pdb_inputs *out) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT path, size, mtime_ns, inode, ctime_ns, hash FROM tu_input WHERE tu = ?1 "
                         "ORDER BY rowid",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  sqlite3_bind_int64(s, 1, id);
  int rc, ok = 1;
  while (ok && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (out->n == out->cap) {
      size_t cap = out->cap ? 2 * out->cap : 16;
      pdb_input *v = realloc(out->v, cap * sizeof *v);
      if (!v) {
        ok = 0;
        break;
      }
      out->v = v, out->cap = cap;
    }
    pdb_input in = {pdb_strdup((const char *)sqlite3_column_text(s, 0)),
                    sqlite3_column_int64(s, 1),
                    sqlite3_column_int64(s, 2),
                    sqlite3_column_int64(s, 3),
                    sqlite3_column_int64(s, 4),
                    {0}};
    pdb_column_hash(s, 5, in.hash);
    if (!in.path) ok = 0;
    else out->v[out->n++] = in;
  }
  sqlite3_finalize(s);
  return ok ? 0 : -1;
}

int pdb_each_tu(pdb *db, int inputs, int (*fn)(void *arg, const pdb_tu *tu, const char *flags_hash), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT id, file, directory, complete, pic, field_facts, flags_hash FROM tu "
                         "ORDER BY file, flags_hash",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step = SQLITE_DONE;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(s, 0);
    const char *file = (const char *)sqlite3_column_text(s, 1), *dir = (const char *)sqlite3_column_text(s, 2);
    pdb_tu tu = {file ? file : "",
                 dir ? dir : "",
                 sqlite3_column_int(s, 3),
                 sqlite3_column_int(s, 4),
                 sqlite3_column_int(s, 5),
                 NULL,
                 0,
                 NULL,
                 0,
                 NULL,
                 0,
                 NULL,
                 0};
    pdb_inputs in = {0};
    void *lookups = NULL;
    int verified = pdb_tu_verify(db, id), lk = 1;
    sqlite3_stmt *f = verified > 0 ? pdb_stmt(db, S_FACTS_GET) : NULL;
    if (verified < 0 || (verified > 0 && !f)) {
      rc = -1;
      break;
    }
    if (!verified) {
      rc = pdb_damaged(db, tu.file, "their checksum does not match");
      break;
    }
    sqlite3_bind_int64(f, 1, id);
    if (sqlite3_step(f) != SQLITE_ROW) {
      rc = pdb_damaged(db, tu.file, "they are missing");
    } else if (inputs && pdb_load_inputs(db, id, &in) < 0) {
      rc = pdb_damaged(db, tu.file, "the recorded inputs cannot be read");
    } else if (inputs && (lk = pdb_tu_lookups(db, id, &lookups, &tu.lookups_len)) != 1) {
      rc = lk < 0 ? -1 : pdb_damaged(db, tu.file, "the recorded header lookups are damaged");
    } else {
      tu.facts = sqlite3_column_blob(f, 0);
      tu.facts_len = (size_t)sqlite3_column_bytes(f, 0);
      tu.lookups = lookups;
      tu.inputs = in.v, tu.ninputs = in.n;
      rc = fn(arg, &tu, (const char *)sqlite3_column_text(s, 6));
    }
    sqlite3_reset(f);
    free(lookups);
    pdb_inputs_free(&in);
  }
  /* Stopping early would solve over part of the program. */
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

/* ---- writing results ------------------------------------------------------ */
int pdb_results_begin(pdb *db, const char *key) {
  if (pdb_exec(db, "BEGIN IMMEDIATE") < 0) return -1;
  int ok = pdb_gen_ok(db) &&
           pdb_exec(db, "DELETE FROM verdict; DELETE FROM func; DELETE FROM icall; DELETE FROM contract_store; "
                        "DELETE FROM effect_kind; DELETE FROM verdict_name; DELETE FROM migrate;") == 0 &&
           pdb_meta_put(db, "results_key", key) == 0;
  if (!ok) sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
  return ok ? 0 : -1;
}

int pdb_results_end(pdb *db, int ok) { return pdb_end(db, ok && pdb_seal_results(db) == 0); }

int pdb_put_meta(pdb *db, const char *key, const char *value) { return pdb_meta_put(db, key, value); }

int pdb_put_effect_kind(pdb *db, int id, const char *name, const char *property) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_KIND);
  if (!s) return -1;
  sqlite3_bind_int(s, 1, id);
  sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, property, -1, SQLITE_STATIC);
  return pdb_step_done(db, s);
}

int pdb_put_verdict_name(pdb *db, int id, const char *name) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_VNAME);
  if (!s) return -1;
  sqlite3_bind_int(s, 1, id);
  sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
  return pdb_step_done(db, s);
}

int pdb_put_icall(pdb *db, const pdb_icall *ic) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_ICALL);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, ic->func);
  pdb_bind_loc(s, 2, ic->file, ic->line, ic->col);
  sqlite3_bind_text(s, 5, ic->fntype, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 6, ic->slot, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 7, ic->mode, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 8, ic->trusted);
  sqlite3_bind_int64(s, 9, ic->candidates);
  return pdb_step_done(db, s);
}

int pdb_put_store(pdb *db, const pdb_store *st) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_STORE);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, st->func);
  if (st->in_func) sqlite3_bind_int64(s, 2, st->in_func);
  pdb_bind_loc(s, 3, st->file, st->line, st->col);
  sqlite3_bind_int64(s, 6, st->contract);
  sqlite3_bind_int(s, 7, st->dest_kind);
  sqlite3_bind_text(s, 8, st->dest, -1, SQLITE_STATIC);
  if (st->callee_id) {
    sqlite3_bind_int64(s, 9, st->callee_id);
    sqlite3_bind_int(s, 10, st->arg);
  }
  return pdb_step_done(db, s);
}

int pdb_put_func(pdb *db, const pdb_func *f) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_FUNC);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, f->id);
  sqlite3_bind_text(s, 2, f->usr, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, f->path_key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 4, f->name, -1, SQLITE_STATIC);
  pdb_bind_loc(s, 5, f->file, f->line, f->col);
  sqlite3_bind_text(s, 8, f->linkage, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 9, f->has_body);
  sqlite3_bind_int64(s, 10, f->annots);
  sqlite3_bind_int(s, 11, f->system);
  if (f->note) sqlite3_bind_text(s, 12, f->note, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 13, f->task);
  if (f->hdecl_file) {
    pdb_bind_loc(s, 14, f->hdecl_file, f->hdecl_line, f->hdecl_col);
    sqlite3_bind_int64(s, 17, f->hdecl_end);
  }
  sqlite3_bind_int(s, 18, f->hidden);
  return pdb_step_done(db, s);
}

int pdb_put_verdict(pdb *db, int64_t func, int prop, const pdb_hop *h) {
  sqlite3_stmt *s = pdb_stmt(db, S_RES_VERDICT);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, func);
  sqlite3_bind_int(s, 2, prop);
  sqlite3_bind_int(s, 3, h->verdict);
  sqlite3_bind_int(s, 4, h->why);
  sqlite3_bind_int64(s, 14, h->depth);
  sqlite3_bind_int64(s, 15, h->terminal);
  if (h->why == PDB_WHY_EDGE) {
    sqlite3_bind_int64(s, 5, h->next);
    pdb_bind_loc(s, 8, h->file, h->line, h->col);
    sqlite3_bind_int(s, 16, h->how);
    if (h->through) sqlite3_bind_text(s, 17, h->through, -1, SQLITE_STATIC);
  } else if (h->why == PDB_WHY_BASE) {
    if (h->origin) sqlite3_bind_text(s, 18, h->origin, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, h->kind);
    sqlite3_bind_text(s, 7, h->detail, -1, SQLITE_STATIC);
    pdb_bind_loc(s, 8, h->file, h->line, h->col);
    sqlite3_bind_text(s, 11, h->decl_file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 12, h->decl_line);
  }
  return pdb_step_done(db, s);
}

/* ---- reading results ------------------------------------------------------ */
static void pdb_read_func(sqlite3_stmt *s, pdb_func *f) {
  f->id = sqlite3_column_int64(s, 0);
  f->name = (const char *)sqlite3_column_text(s, 1);
  f->usr = (const char *)sqlite3_column_text(s, 2);
  f->path_key = (const char *)sqlite3_column_text(s, 3);
  f->file = (const char *)sqlite3_column_text(s, 4);
  f->linkage = (const char *)sqlite3_column_text(s, 5);
  f->line = sqlite3_column_int(s, 6);
  f->col = sqlite3_column_int(s, 7);
  f->has_body = sqlite3_column_int(s, 8);
  f->annots = (uint32_t)sqlite3_column_int64(s, 9);
  f->verdict[0] = sqlite3_column_int(s, 10);
  f->verdict[1] = sqlite3_column_int(s, 11);
  f->note = (const char *)sqlite3_column_text(s, 12);
  f->task = sqlite3_column_int(s, 13);
  f->hdecl_file = (const char *)sqlite3_column_text(s, 14);
  f->hdecl_line = sqlite3_column_int(s, 15);
  f->hdecl_col = sqlite3_column_int(s, 16);
  f->hdecl_end = sqlite3_column_int64(s, 17);
  f->system = sqlite3_column_int(s, 18);
  f->hidden = sqlite3_column_int(s, 19);
}

/* Runs a PDB_FUNC_SELECT query (?1 = name when given), calling fn per row. */
static int pdb_func_rows(pdb *db, const char *sql, const char *name, int (*fn)(void *arg, const pdb_func *f),
                         void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK) return pdb_fail(db, "cannot read");
  if (name) sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    pdb_func f;
    pdb_read_func(s, &f);
    rc = fn(arg, &f);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

int pdb_each_func(pdb *db, const char *name, int (*fn)(void *arg, const pdb_func *f), void *arg) {
  return pdb_func_rows(db,
                       PDB_FUNC_SELECT
                       "WHERE f.has_body AND (?1 IS NULL AND NOT f.system OR f.name = ?1) "
                       "ORDER BY f.file, f.line, f.col, f.name, coalesce(t.verdict, 0), coalesce(p.verdict, 0), f.id",
                       name, fn, arg);
}

int pdb_get_func(pdb *db, int64_t id, pdb_func *out) {
  sqlite3_stmt *s = pdb_stmt(db, S_GET_FUNC);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, id);
  if (sqlite3_step(s) != SQLITE_ROW) return pdb_fail(db, "missing function in");
  pdb_read_func(s, out);
  return 0;
}

int pdb_is_input(pdb *db, const char *path) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT 1 FROM tu_input WHERE path = ?1 UNION ALL SELECT 1 FROM tu WHERE file = ?1 "
                         "LIMIT 1",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
  int step = sqlite3_step(s);
  sqlite3_finalize(s);
  return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : pdb_fail(db, "cannot read");
}

int64_t pdb_max_func_id(pdb *db) {
  long v;
  return pdb_int_pragma(db, "SELECT coalesce(max(id), 0) FROM func", &v) < 0 ? pdb_fail(db, "cannot read") : v;
}

int pdb_each_name(pdb *db, int (*fn)(void *arg, int64_t id, const char *name, int has_body), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, "SELECT id, name, has_body FROM func ORDER BY id", -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
    rc = fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 2));
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

static void pdb_read_hop(sqlite3_stmt *s, int at, pdb_hop *out);

int pdb_each_hop(pdb *db, int (*fn)(void *arg, int64_t func, int prop, const pdb_hop *h), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT func, property, verdict, why, next, kind, detail, file, line, col, decl_file, "
                         "decl_line, depth, terminal, how, through, origin FROM verdict ORDER BY func, property",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    pdb_hop h;
    pdb_read_hop(s, 2, &h);
    rc = fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1), &h);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

static void pdb_read_hop(sqlite3_stmt *s, int at, pdb_hop *out) {
  out->verdict = sqlite3_column_int(s, at + 0);
  out->why = sqlite3_column_int(s, at + 1);
  out->next = sqlite3_column_int64(s, at + 2);
  out->kind = sqlite3_column_int(s, at + 3);
  out->detail = (const char *)sqlite3_column_text(s, at + 4);
  out->file = (const char *)sqlite3_column_text(s, at + 5);
  out->line = sqlite3_column_int(s, at + 6);
  out->col = sqlite3_column_int(s, at + 7);
  out->decl_file = (const char *)sqlite3_column_text(s, at + 8);
  out->decl_line = sqlite3_column_int(s, at + 9);
  out->depth = sqlite3_column_int64(s, at + 10);
  out->terminal = sqlite3_column_int64(s, at + 11);
  out->how = sqlite3_column_int(s, at + 12);
  out->through = (const char *)sqlite3_column_text(s, at + 13);
  out->origin = (const char *)sqlite3_column_text(s, at + 14);
  if (!out->detail) out->detail = "";
  if (!out->file) out->file = "";
  if (!out->decl_file) out->decl_file = "";
}

int pdb_get_hop(pdb *db, int64_t func, int prop, pdb_hop *out) {
  sqlite3_stmt *s = pdb_stmt(db, S_GET_HOP);
  if (!s) return -1;
  sqlite3_bind_int64(s, 1, func);
  sqlite3_bind_int(s, 2, prop);
  int step = sqlite3_step(s);
  if (step == SQLITE_DONE) { /* proven: no row */
    memset(out, 0, sizeof *out);
    out->detail = out->file = out->decl_file = "";
    return 0;
  }
  if (step != SQLITE_ROW) return pdb_fail(db, "cannot read");
  pdb_read_hop(s, 0, out);
  return 0;
}

int pdb_each_diag(pdb *db, int (*fn)(void *arg, const char *tu, const pdb_diag *d), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT t.file, d.file, d.line, d.col, d.error, d.message FROM tu_diag d "
                         "JOIN tu t ON t.id = d.tu ORDER BY d.file, d.line, d.col, d.message",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step = SQLITE_DONE;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    pdb_diag d = {(const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 2), sqlite3_column_int(s, 3),
                  sqlite3_column_int(s, 4), (const char *)sqlite3_column_text(s, 5)};
    if (!d.file) d.file = "";
    if (!d.message) d.message = "";
    rc = fn(arg, (const char *)sqlite3_column_text(s, 0), &d);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

int pdb_each_input(pdb *db, int (*fn)(void *arg, const char *flags_hash, const char *path), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db,
                         "SELECT t.flags_hash, i.path FROM tu t JOIN tu_input i ON i.tu = t.id "
                         "ORDER BY t.file, t.flags_hash, i.path",
                         -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step = SQLITE_DONE;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
    rc = fn(arg, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1));
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

int pdb_tu_counts(pdb *db, long *tus, long *incomplete) {
  if (pdb_int_pragma(db, "SELECT count(*) FROM tu", tus) < 0 ||
      pdb_int_pragma(db, "SELECT count(*) FROM tu WHERE NOT complete", incomplete) < 0)
    return pdb_fail(db, "cannot read");
  return 0;
}

/* ==== read-only queries for diagnostics (analyzer/diag*.c) ================= */
/* Kept apart from the storage code above: they only SELECT. */
static int pdb_each_text(pdb *db, const char *sql, const char *param, int (*fn)(void *arg, const char *s), void *arg) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, sql, -1, &s, NULL) != SQLITE_OK) return pdb_fail(db, "cannot read");
  if (param) sqlite3_bind_text(s, 1, param, -1, SQLITE_STATIC);
  int rc = 0, step = SQLITE_DONE;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    const char *t = (const char *)sqlite3_column_text(s, 0);
    rc = fn(arg, t ? t : "");
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

int pdb_each_main_file(pdb *db, int (*fn)(void *arg, const char *file), void *arg) {
  return pdb_each_text(db, "SELECT DISTINCT file FROM tu ORDER BY file", NULL, fn, arg);
}

int pdb_each_input_of(pdb *db, const char *main_file, int (*fn)(void *arg, const char *path), void *arg) {
  return pdb_each_text(db,
                       "SELECT DISTINCT i.path FROM tu t JOIN tu_input i ON i.tu = t.id "
                       "WHERE t.file = ?1 ORDER BY i.path",
                       main_file, fn, arg);
}

/* Stores of function addresses into contract slots, in (file, line, col)
 * order.  contract_store does not record the called function and the
 * argument number of an FT_SLOT_ARG store yet; when it gains the columns
 * `callee` (a func.id) and `arg` (1-based), they are read, otherwise arg is
 * 0 and callee NULL and the caller words the store without them. */
int pdb_each_contract_store(pdb *db, int (*fn)(void *arg, const pdb_store *st), void *arg) {
  static const char *const sql[2] = {
      "SELECT c.func, coalesce(c.in_func, 0), i.name, c.file, c.line, c.col, c.contract, c.dest_kind, c.dest, "
      "c.arg, k.name, c.callee FROM contract_store c LEFT JOIN func i ON i.id = c.in_func "
      "LEFT JOIN func k ON k.id = c.callee "
      "ORDER BY c.file, c.line, c.col, c.contract, c.func, c.dest_kind, c.dest",
      "SELECT c.func, coalesce(c.in_func, 0), i.name, c.file, c.line, c.col, c.contract, c.dest_kind, c.dest, "
      "0, NULL, 0 FROM contract_store c LEFT JOIN func i ON i.id = c.in_func "
      "ORDER BY c.file, c.line, c.col, c.contract, c.func, c.dest_kind, c.dest",
  };
  sqlite3_stmt *s = NULL;
  if (sqlite3_prepare_v2(db->db, sql[0], -1, &s, NULL) != SQLITE_OK &&
      sqlite3_prepare_v2(db->db, sql[1], -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  int rc = 0, step = SQLITE_DONE;
  while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
    pdb_store st;
    st.func = sqlite3_column_int64(s, 0);
    st.in_func = sqlite3_column_int64(s, 1);
    st.in_name = (const char *)sqlite3_column_text(s, 2);
    st.file = (const char *)sqlite3_column_text(s, 3);
    st.line = sqlite3_column_int(s, 4);
    st.col = sqlite3_column_int(s, 5);
    st.contract = (uint32_t)sqlite3_column_int64(s, 6);
    st.dest_kind = sqlite3_column_int(s, 7);
    st.dest = (const char *)sqlite3_column_text(s, 8);
    st.arg = sqlite3_column_int(s, 9);
    st.callee = (const char *)sqlite3_column_text(s, 10);
    st.callee_id = sqlite3_column_int64(s, 11);
    if (!st.file) st.file = "";
    if (!st.dest) st.dest = "";
    rc = fn(arg, &st);
  }
  if (rc == 0 && step != SQLITE_DONE) rc = pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

/* 1 when some function (with or without a body) is called name, 0 when
 * none is, -1 on error. */
int pdb_func_named(pdb *db, const char *name) {
  sqlite3_stmt *s;
  if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM func WHERE name = ?1 LIMIT 1", -1, &s, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
  int step = sqlite3_step(s), rc = step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : pdb_fail(db, "cannot read");
  sqlite3_finalize(s);
  return rc;
}

int pdb_each_task(pdb *db, int (*fn)(void *arg, const pdb_func *f), void *arg) {
  return pdb_func_rows(db,
                       PDB_FUNC_SELECT "WHERE f.task AND NOT f.system ORDER BY f.file, f.line, f.col, f.name, "
                                       "coalesce(t.verdict, 0), coalesce(p.verdict, 0), f.id",
                       NULL, fn, arg);
}

/* ---- stage 3: the migrate verdicts (docs/stage3.md) ------------------------- */
/* The columns pdb_read_migrate reads, in its order. */
#define PDB_MIGRATE_COLS                                                                                               \
  "verdict, why, next, kind, text, file, line, col, access_file, access_line, access_col, susp_file, "                 \
  "susp_line, susp_col, (SELECT name FROM func WHERE id = m.next), use_file, use_line, use_col, access_text, "         \
  "susp_text, use_text, depth, terminal"

static void pdb_read_migrate(sqlite3_stmt *s, pdb_migrate *out);

static void pdb_bind_opt_loc(sqlite3_stmt *s, int at, const char *file, int line, int col) {
  if (file && file[0]) pdb_bind_loc(s, at, file, line, col);
}

int pdb_put_migrate(pdb *db, int64_t func, const pdb_migrate *m) {
  if (!db->migrate_put &&
      sqlite3_prepare_v3(db->db,
                         "INSERT INTO migrate(func, verdict, why, next, kind, text, file, line, col, access_file, "
                         "access_line, access_col, susp_file, susp_line, susp_col, use_file, use_line, use_col, "
                         "access_text, susp_text, use_text, depth, terminal) "
                         "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23)",
                         -1, SQLITE_PREPARE_PERSISTENT, &db->migrate_put, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot prepare a statement on");
  sqlite3_stmt *s = db->migrate_put;
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  sqlite3_bind_int64(s, 1, func);
  sqlite3_bind_int(s, 2, m->verdict);
  sqlite3_bind_int(s, 3, m->why);
  if (m->why == PDB_WHY_EDGE) sqlite3_bind_int64(s, 4, m->next);
  sqlite3_bind_int(s, 5, m->kind);
  sqlite3_bind_text(s, 6, m->text ? m->text : "", -1, SQLITE_STATIC);
  pdb_bind_opt_loc(s, 7, m->file, m->line, m->col);
  pdb_bind_opt_loc(s, 10, m->access_file, m->access_line, m->access_col);
  pdb_bind_opt_loc(s, 13, m->susp_file, m->susp_line, m->susp_col);
  pdb_bind_opt_loc(s, 16, m->use_file, m->use_line, m->use_col);
  if (m->access_text && m->access_text[0]) sqlite3_bind_text(s, 19, m->access_text, -1, SQLITE_STATIC);
  if (m->susp_text && m->susp_text[0]) sqlite3_bind_text(s, 20, m->susp_text, -1, SQLITE_STATIC);
  if (m->use_text && m->use_text[0]) sqlite3_bind_text(s, 21, m->use_text, -1, SQLITE_STATIC);
  sqlite3_bind_int(s, 22, m->depth);
  sqlite3_bind_int64(s, 23, m->terminal ? m->terminal : func);
  return pdb_step_done(db, s);
}

int pdb_get_migrate(pdb *db, int64_t func, pdb_migrate *out) {
  memset(out, 0, sizeof *out);
  if (!db->migrate_get && sqlite3_prepare_v2(db->db, "SELECT " PDB_MIGRATE_COLS " FROM migrate m WHERE func = ?1", -1,
                                             &db->migrate_get, NULL) != SQLITE_OK)
    return pdb_fail(db, "cannot read");
  sqlite3_stmt *s = db->migrate_get;
  sqlite3_reset(s);
  sqlite3_bind_int64(s, 1, func);
  int step = sqlite3_step(s);
  if (step == SQLITE_DONE) return 0;
  if (step != SQLITE_ROW) return pdb_fail(db, "cannot read");
  pdb_read_migrate(s, out);
  return 0;
}

static void pdb_read_migrate(sqlite3_stmt *s, pdb_migrate *out) {
  memset(out, 0, sizeof *out);
  out->verdict = sqlite3_column_int(s, 0);
  out->why = sqlite3_column_int(s, 1);
  out->next = sqlite3_column_int64(s, 2);
  out->kind = sqlite3_column_int(s, 3);
  out->text = (const char *)sqlite3_column_text(s, 4);
  out->file = (const char *)sqlite3_column_text(s, 5);
  out->line = sqlite3_column_int(s, 6);
  out->col = sqlite3_column_int(s, 7);
  out->access_file = (const char *)sqlite3_column_text(s, 8);
  out->access_line = sqlite3_column_int(s, 9);
  out->access_col = sqlite3_column_int(s, 10);
  out->susp_file = (const char *)sqlite3_column_text(s, 11);
  out->susp_line = sqlite3_column_int(s, 12);
  out->susp_col = sqlite3_column_int(s, 13);
  out->next_name = (const char *)sqlite3_column_text(s, 14);
  out->use_file = (const char *)sqlite3_column_text(s, 15);
  out->use_line = sqlite3_column_int(s, 16);
  out->use_col = sqlite3_column_int(s, 17);
  out->access_text = (const char *)sqlite3_column_text(s, 18);
  out->susp_text = (const char *)sqlite3_column_text(s, 19);
  out->use_text = (const char *)sqlite3_column_text(s, 20);
  out->depth = sqlite3_column_int(s, 21);
  out->terminal = sqlite3_column_int64(s, 22);
}
