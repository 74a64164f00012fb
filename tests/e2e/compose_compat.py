"""Compares obslint's Compose model with docker-compose's (v1, 1.29).

For each case: the services, their image, environment, ports, volumes,
command, depends_on and profiles as `docker-compose config` prints them, and
the services `docker-compose up` would start under the active profiles (v1's
own project.get_services, run with a stand-in Docker client since no daemon
is needed to choose services) -- against `obslint compose-config`.

Run with the Python that has docker-compose installed (/usr/bin/python3 on
Debian). Prints one line per case; exits 1 on a difference, 77 when
docker-compose is not there.
"""

import json
import os
import shlex
import subprocess
import sys

try:
    import yaml
    from compose.config import config as v1config
    from compose.config.environment import Environment
    from compose.project import Project
    import docker.errors
except ImportError as e:
    print(f"skipped: docker-compose v1 not importable ({e})")
    sys.exit(77)

OBSLINT = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
# Neither tool may read the shell's variables: both see only the files.
for _name in list(os.environ):
    if _name != "PATH":
        del os.environ[_name]

# (case directory, options): files (-f), env_file (--env-file), profiles (--profile).
CASES = [
    ("tests/stacks/compose-extends", {}),
    ("tests/stacks/compose-merge", {}),
    ("tests/stacks/compose-file-env", {}),
    ("tests/stacks/seed-profiles/stack", {}),
    ("tests/stacks/seed-profiles/stack", {"env_file": "posthog-on.env"}),
    ("tests/stacks/seed-profiles/stack", {"profiles": ["analytics-product"]}),
    ("tests/stacks/seed-profiles/stack", {"profiles": ["analytics", "analytics-product"]}),
    ("tests/stacks/compose-reset-override", {"files": ["compose.yaml"]}),
    ("tests/fixtures/OBS212/good", {}),
    ("tests/fixtures/OBS204/bad-profile", {}),
    ("tests/fixtures/OBS204/bad-profile", {"profiles": ["tracing"]}),
    ("tests/fixtures/OBS901/good-profile", {}),
    ("tests/fixtures/OBS901/bad-profile", {}),
]


class NoDaemon:
    """Answers every Docker API call with "not found": enough for v1 to build
    a project and choose its services."""

    def __getattr__(self, name):
        def call(*args, **kwargs):
            raise docker.errors.NotFound("no daemon")

        return call


def v1_model(case_dir, opts):
    env_file = os.path.join(case_dir, opts["env_file"]) if opts.get("env_file") else None
    env = Environment.from_env_file(case_dir, env_file)
    details = v1config.find(case_dir, opts.get("files"), env, env_file)
    cfg = v1config.load(details)
    profiles = opts.get("profiles")
    if profiles is None:
        profiles = [p.strip() for p in env.get("COMPOSE_PROFILES", "").split(",") if p.strip()]
    project = Project.from_config("compat", cfg, NoDaemon(), enabled_profiles=profiles)
    try:
        started = sorted(s.name for s in project.get_services(include_deps=True))
    except Exception as e:  # a started service depends on one its profiles leave out
        started = "refused: " + str(e).split(".")[0]
    args = ["/usr/bin/docker-compose"]
    for f in opts.get("files") or []:
        args += ["-f", f]
    if opts.get("env_file"):
        args += ["--env-file", opts["env_file"]]
    out = subprocess.run(args + ["config"], capture_output=True, text=True, check=True,
                         cwd=case_dir, env={"PATH": "/usr/bin:/bin"}).stdout
    services = yaml.safe_load(out).get("services", {})
    return {name: normalize_v1(case_dir, s) for name, s in services.items()}, started


def port_v1(p):
    if isinstance(p, dict):
        return "{}|{}|{}|{}".format(p.get("host_ip", ""), p.get("published", ""), p["target"],
                                    p.get("protocol", "tcp"))
    text, proto = (p.split("/") + ["tcp"])[:2]
    parts = text.split(":")
    ip = parts[0] if len(parts) == 3 else ""
    published = parts[-2] if len(parts) >= 2 else ""
    return "{}|{}|{}|{}".format(ip, published, parts[-1], proto)


def volume_v1(case_dir, v):
    if isinstance(v, dict):
        src, target, ro = v.get("source", ""), v["target"], bool(v.get("read_only"))
    else:
        parts = v.split(":")
        if len(parts) == 1:
            src, target, ro = "", parts[0], False
        else:
            src, target = parts[0], parts[1]
            ro = len(parts) > 2 and "ro" in parts[2].split(",")
    if src.startswith("/"):
        src = os.path.relpath(src, case_dir)
    return "{}|{}|{}".format(src, target, "ro" if ro else "rw")


def words(value):
    if value is None:
        return None
    return shlex.split(value) if isinstance(value, str) else [str(w) for w in value]


def normalize_v1(case_dir, s):
    env = s.get("environment") or {}
    deps = s.get("depends_on") or []
    return {
        "image": s.get("image"),
        "environment": {k: (None if v is None else str(v)) for k, v in env.items()},
        "ports": sorted(port_v1(p) for p in s.get("ports") or []),
        "volumes": sorted(volume_v1(case_dir, v) for v in s.get("volumes") or []),
        "command": words(s.get("command")),
        "depends_on": sorted(deps if isinstance(deps, list) else deps.keys()),
        "profiles": sorted(s.get("profiles") or []),
    }


def obslint_model(case_dir, opts):
    args = [OBSLINT, "compose-config"]
    for f in opts.get("files") or []:
        args += ["-f", f]
    if opts.get("env_file"):
        args += ["--env-file", opts["env_file"]]
    for p in opts.get("profiles") or []:
        args += ["--profile", p]
    out = subprocess.run(args + ["."], capture_output=True, text=True, check=True, cwd=case_dir,
                         env={"PATH": "/usr/bin:/bin"}).stdout
    model = json.loads(out)
    services, started, refused = {}, [], None
    for s in model["services"]:
        services[s["name"]] = {
            "image": s["image"]["value"] if "image" in s else None,
            "environment": {e["key"]: e.get("value") for e in s["environment"]},
            "ports": sorted("{}|{}|{}|{}".format(p["hostIp"], p["published"], p["target"], p["protocol"])
                            for p in s["ports"]),
            "volumes": sorted("{}|{}|{}".format(v["source"], v["target"], "ro" if v["readOnly"] else "rw")
                              for v in s["volumes"]),
            "command": [w["value"] for w in s["command"]] if "command" in s else None,
            "depends_on": sorted(d["service"] for d in s["dependsOn"]),
            "profiles": sorted(s["profiles"]),
        }
        if s["starts"]:
            started.append(s["name"])
    # What Compose refuses: a started service that needs one that does not start.
    by_name = {s["name"]: s for s in model["services"]}
    for s in model["services"]:
        for d in s["dependsOn"]:
            target = by_name.get(d["service"])
            if s["starts"] and target and not target["starts"] and d["required"] and refused is None:
                refused = (s["name"], d["service"])
    return services, sorted(started), refused


def main():
    failed = 0
    for rel, opts in CASES:
        case_dir = os.path.join(SRC, rel)
        label = rel + (" " + json.dumps(opts) if opts else "")
        v1_services, v1_started = v1_model(case_dir, opts)
        ob_services, ob_started, refused = obslint_model(case_dir, opts)
        problems = []
        if set(v1_services) != set(ob_services):
            problems.append("services: docker-compose {} obslint {}".format(sorted(v1_services), sorted(ob_services)))
        for name in sorted(set(v1_services) & set(ob_services)):
            for key, want in v1_services[name].items():
                got = ob_services[name][key]
                if want != got:
                    problems.append("{}.{}: docker-compose {!r} obslint {!r}".format(name, key, want, got))
        if isinstance(v1_started, str):
            if refused is None:
                problems.append("docker-compose {}, obslint starts {}".format(v1_started, ob_started))
        elif v1_started != ob_started or refused is not None:
            problems.append("started: docker-compose {} obslint {}{}".format(
                v1_started, ob_started, " (refused: {} needs {})".format(*refused) if refused else ""))
        if problems:
            failed += 1
            print("FAIL " + label)
            for p in problems:
                print("  " + p)
        else:
            started = v1_started if isinstance(v1_started, str) else ", ".join(v1_started)
            print("ok   {}  (starts: {})".format(label, started))
    print("compose compat: {} cases, {} differ".format(len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
