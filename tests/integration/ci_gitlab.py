# SPDX-License-Identifier: MIT
"""ci_gitlab.py - GitLab's cache and job-artifacts API, emulated from a job's
own `cache:` and `artifacts:` sections, for tests/integration/ci.sh.

What is emulated is what decides whether the example works:
  - a cache is an archive of the listed `paths`, stored under its expanded
    `key`; restoring extracts the same relative paths (so a cache saved
    from one path never appears at another), `policy` (pull, push,
    pull-push) and `when` (on_success, on_failure, always) are honoured;
  - the job-artifacts API (`.../jobs/artifacts/REF/download?job=NAME`)
    serves the artifacts of the newest *successful* job for REF, as a zip
    of the listed `paths`, to requests that carry a JOB-TOKEN header.

  ci_gitlab.py restore YAML JOB STORE WORKDIR
  ci_gitlab.py save    YAML JOB STORE WORKDIR STATUS   (cache and artifacts;
                                                        uses $CI_COMMIT_REF_NAME)
  ci_gitlab.py serve   STORE PORTFILE                   (until killed)
"""
import http.server
import os
import re
import sys
import tarfile
import urllib.parse
import zipfile

import yaml


def job_of(path, name):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)[name]


def expand(text):
    """$VAR and ${VAR} from the environment, as GitLab expands cache keys."""
    return re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: os.environ.get(m.group(1), ""), text)


def caches(job):
    c = job.get("cache", [])
    return c if isinstance(c, list) else [c]


def archive_name(store, kind, key):
    return os.path.join(store, kind, urllib.parse.quote(key, safe="") + ".tar")


def restore(yml, name, store, work):
    for c in caches(job_of(yml, name)):
        if c.get("policy", "pull-push") not in ("pull", "pull-push"):
            continue
        key = expand(str(c.get("key", "default")))
        arc = archive_name(store, "cache", key)
        if os.path.exists(arc):
            with tarfile.open(arc) as t:
                t.extractall(work)
            print(f"ci_gitlab: cache {key}: restored")
        else:
            print(f"ci_gitlab: cache {key}: not found")


def wanted(when, status):
    return when == "always" or (when == "on_success") == (status == 0)


def add_paths(work, paths, add):
    for p in paths:
        full = os.path.join(work, p)
        if os.path.isdir(full):
            for d, _, files in os.walk(full):
                for f in files:
                    add(os.path.join(d, f), os.path.relpath(os.path.join(d, f), work))
        elif os.path.exists(full):
            add(full, p)


def save(yml, name, store, work, status):
    job = job_of(yml, name)
    for c in caches(job):
        if c.get("policy", "pull-push") not in ("push", "pull-push") or not wanted(c.get("when", "on_success"), status):
            continue
        key = expand(str(c.get("key", "default")))
        arc = archive_name(store, "cache", key)
        os.makedirs(os.path.dirname(arc), exist_ok=True)
        with tarfile.open(arc, "w") as t:
            add_paths(work, c.get("paths", []), lambda full, rel: t.add(full, rel))
        print(f"ci_gitlab: cache {key}: saved")
    art = job.get("artifacts", {})
    if status != 0 or not art.get("paths"):
        return  # the API serves the newest successful job's artifacts only
    ref = os.environ["CI_COMMIT_REF_NAME"]
    out = os.path.join(store, "artifacts", urllib.parse.quote(ref, safe=""), name + ".zip")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with zipfile.ZipFile(out, "w") as z:
        add_paths(work, art["paths"], lambda full, rel: z.write(full, rel))
    print(f"ci_gitlab: artifacts of {name} on {ref}: saved")


def serve(store, portfile):
    class Api(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            u = urllib.parse.urlparse(self.path)
            m = re.fullmatch(r"/api/v4/projects/[^/]+/jobs/artifacts/(.+)/download", u.path)
            job = urllib.parse.parse_qs(u.query).get("job", [""])[0]
            if not self.headers.get("JOB-TOKEN"):
                return self.send_error(401)
            f = m and os.path.join(store, "artifacts", urllib.parse.quote(urllib.parse.unquote(m.group(1)), safe=""), job + ".zip")
            if not f or not os.path.exists(f):
                return self.send_error(404)
            data = open(f, "rb").read()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Api)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(srv.server_port))
    os.rename(portfile + ".tmp", portfile)
    srv.serve_forever()


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "restore":
        restore(*sys.argv[2:6])
    elif cmd == "save":
        save(*sys.argv[2:6], int(sys.argv[6]))
    elif cmd == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"ci_gitlab: unknown command {cmd}")
