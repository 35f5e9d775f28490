#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""The attestation and the published key list of scripts/release.

Subcommands:
  statement    write the in-toto Statement v1 (SLSA provenance v1 predicate)
               of a release: its subjects, the commit, the suite's KTAP
               summary; refuses a failed or summary-less suite run
  keys-add     add a public key to a key list, valid from a commit on
  keys-rotate  add a new key valid from a commit on; the keys in force end
               there (they still verify what was signed before it)
  keys-revoke  mark a key revoked: nothing it signed verifies any more
  key-check    exit 0 only if a key may sign (or have signed) a commit
  verify       verify a release directory against a key list

The key list is JSON: {"keys": [{"keyid", "publicKey" (PEM), "validFrom"
(commit), "validUntil" (commit, optional), "revoked" (reason, optional)}]}.
A key is valid for commit C when validFrom is C or an ancestor of C, and
validUntil is neither; a revoked key is valid for nothing. The commits are
looked up in a git repository that holds them (--repo).
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

STATEMENT = "https://in-toto.io/Statement/v1"
SLSA = "https://slsa.dev/provenance/v1"
BUILD_TYPE = "https://example.invalid/sifive-i2c/Documentation/build-chain.rst#v1"
BUILDER = "https://example.invalid/sifive-i2c/scripts/release"
SUMMARY = re.compile(r"^\s*(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")
# What a release directory holds besides its subjects.
NOT_SUBJECTS = ("BUILDINFO", "SHA256SUMS", "suite.log", "provenance.intoto.json")


class Failure(Exception):
    """A check failed; the message says which and why."""


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def git(repo, *args, check=True):
    return subprocess.run(["git", "-C", repo, *args], check=check,
                          capture_output=True, text=True)


def full_commit(repo, rev):
    out = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}",
              check=False)
    if out.returncode != 0:
        raise Failure(f"{rev} is not a commit of {repo}")
    return out.stdout.strip()


def is_ancestor(repo, older, newer):
    """Whether older is newer or one of its ancestors."""
    return git(repo, "merge-base", "--is-ancestor", older, newer,
               check=False).returncode == 0


def load_keys(path):
    if not os.path.exists(path):
        return {"keys": []}
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc.get("keys"), list):
        raise Failure(f"{path}: no \"keys\" list")
    return doc


def save_keys(path, doc):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


def tool_key_id(tool, public):
    return subprocess.run([tool, "key-id", public], check=True,
                          capture_output=True, text=True).stdout.strip()


def key_valid(repo, key, commit):
    """None if key may sign commit, else why not."""
    if key.get("revoked"):
        return f"key {key['keyid']} is revoked ({key['revoked']})"
    start = full_commit(repo, key["validFrom"])
    if not is_ancestor(repo, start, commit):
        return (f"key {key['keyid']} is valid from {start[:12]} on, "
                f"and {commit[:12]} does not descend from it")
    end = key.get("validUntil")
    if end and is_ancestor(repo, full_commit(repo, end), commit):
        return (f"key {key['keyid']} was replaced at {end[:12]}, "
                f"an ancestor of {commit[:12]}")
    return None


def ktap_summary(log):
    """(passed, failed, summary lines, not-ok lines) of a suite's output."""
    passed = failed = 0
    lines, not_ok = [], 0
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = SUMMARY.match(line)
            if m:
                passed += int(m.group(1))
                failed += int(m.group(2))
                lines.append(line.strip())
            elif re.match(r"^not ok \d+", line):
                not_ok += 1
    return passed, failed, lines, not_ok


def cmd_statement(args):
    passed, failed, lines, not_ok = ktap_summary(args.suite_log)
    if args.suite_status != 0:
        raise Failure(f"the suite exited with status {args.suite_status}")
    if not lines:
        raise Failure(f"{args.suite_log} has no KTAP summary "
                      "(\"N passed, N failed\")")
    if failed or not_ok:
        raise Failure(f"the suite reports {failed} failed and {not_ok} "
                      "'not ok' results")
    if passed == 0:
        raise Failure("the suite passed no test")
    buildinfo = {}
    with open(args.buildinfo, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            if key != "sha256":
                buildinfo[key] = value
    if buildinfo.get("commit") != args.commit:
        raise Failure(f"{args.buildinfo} is of commit {buildinfo.get('commit')}, "
                      f"not {args.commit}")
    subjects = [{"name": os.path.basename(p), "digest": {"sha256": sha256(p)}}
                for p in args.subjects]
    deps = [{"uri": f"git+{args.repo_url}@{args.commit}",
             "digest": {"gitCommit": args.commit}}]
    if args.inputs:
        with open(args.inputs, encoding="utf-8") as f:
            for inp in json.load(f):
                deps.append({"name": inp["name"], "uri": inp["uri"],
                             "digest": {"sha256": inp["sha256"]},
                             "annotations": {"verifiedBy": inp["verifiedBy"]}})
    statement = {
        "_type": STATEMENT,
        "subject": subjects,
        "predicateType": SLSA,
        "predicate": {
            "buildDefinition": {
                "buildType": BUILD_TYPE,
                "externalParameters": {
                    "source": {"uri": f"git+{args.repo_url}",
                               "digest": {"gitCommit": args.commit}},
                    "suite": args.suite,
                },
                "internalParameters": {
                    "SOURCE_DATE_EPOCH": buildinfo.get("source_date_epoch"),
                    "rustc": buildinfo.get("rustc"),
                    "kernel": buildinfo.get("kernel"),
                    "cc": buildinfo.get("cc"),
                },
                "resolvedDependencies": deps,
            },
            "runDetails": {
                "builder": {"id": BUILDER},
                "metadata": {"invocationId": args.invocation,
                             "startedOn": args.started,
                             "finishedOn": args.finished},
                "byproducts": [{
                    "name": "suite.log",
                    "digest": {"sha256": sha256(args.suite_log)},
                    "annotations": {"command": args.suite,
                                    "exitStatus": args.suite_status,
                                    "passed": passed, "failed": failed,
                                    "ktapSummary": lines},
                }],
            },
        },
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(statement, f, indent=2)
        f.write("\n")
    print(f"release-chain: suite passed ({passed} passed, 0 failed in "
          f"{len(lines)} summaries)", file=sys.stderr)


def cmd_keys_add(args, rotate=False):
    doc = load_keys(args.list)
    keyid = tool_key_id(args.tool, args.public)
    start = full_commit(args.repo, args.valid_from)
    if any(k["keyid"] == keyid for k in doc["keys"]):
        raise Failure(f"{args.list} already has {keyid}")
    if rotate:
        for key in doc["keys"]:
            if not key.get("validUntil") and not key.get("revoked"):
                key["validUntil"] = start
    with open(args.public, encoding="utf-8") as f:
        pem = f.read()
    doc["keys"].append({"keyid": keyid, "publicKey": pem, "validFrom": start})
    save_keys(args.list, doc)
    print(keyid)


def cmd_keys_revoke(args):
    doc = load_keys(args.list)
    for key in doc["keys"]:
        if key["keyid"] == args.keyid:
            key["revoked"] = args.reason
            save_keys(args.list, doc)
            return
    raise Failure(f"{args.list} has no key {args.keyid}")


def cmd_key_check(args):
    doc = load_keys(args.list)
    keyid = tool_key_id(args.tool, args.public)
    commit = full_commit(args.repo, args.commit)
    for key in doc["keys"]:
        if key["keyid"] == keyid:
            why = key_valid(args.repo, key, commit)
            if why:
                raise Failure(why)
            return
    raise Failure(f"{keyid} is not in {args.list}")


def run_tool(tool, *args):
    return subprocess.run([tool, *args], capture_output=True, text=True)


def cmd_verify(args):
    rel = args.dir
    envelope = os.path.join(rel, "provenance.intoto.json")
    if not os.path.isfile(envelope):
        raise Failure(f"{rel} has no provenance.intoto.json: nothing attests it")
    doc = load_keys(args.list)
    with tempfile.TemporaryDirectory() as tmp:
        signer, statement = None, None
        for i, key in enumerate(doc["keys"]):
            pub = os.path.join(tmp, f"{i}.pub")
            with open(pub, "w", encoding="utf-8") as f:
                f.write(key["publicKey"])
            if tool_key_id(args.tool, pub) != key["keyid"]:
                raise Failure(f"{args.list}: the key listed as {key['keyid']} "
                              "has another key id")
            out = run_tool(args.tool, "verify-attestation", "--key", pub, envelope)
            if out.returncode == 0:
                signer, statement = (key, pub), json.loads(out.stdout)
                break
        if signer is None:
            raise Failure(f"{envelope}: no key of {args.list} verifies it")
        key, pub = signer
        print(f"attestation: signed by {key['keyid']}")
        if statement.get("predicateType") != SLSA:
            raise Failure("the attestation is not SLSA provenance v1")
        pred = statement["predicate"]
        commit = pred["buildDefinition"]["externalParameters"]["source"][
            "digest"]["gitCommit"]
        if args.commit and full_commit(args.repo, args.commit) != commit:
            raise Failure(f"the attestation is of commit {commit}, not "
                          f"{args.commit}")
        why = key_valid(args.repo, key, full_commit(args.repo, commit))
        if why:
            raise Failure(why)
        print(f"key: valid for commit {commit}")
        suite = pred["runDetails"]["byproducts"][0]
        notes = suite["annotations"]
        if (notes.get("exitStatus") != 0 or notes.get("failed") != 0
                or not notes.get("passed") or not notes.get("ktapSummary")):
            raise Failure(f"the attested suite run did not pass: exit status "
                          f"{notes.get('exitStatus')}, {notes.get('passed')} "
                          f"passed, {notes.get('failed')} failed")
        print(f"suite: '{notes['command']}' passed: "
              + "; ".join(notes["ktapSummary"]))
        log = os.path.join(rel, "suite.log")
        if os.path.exists(log) and sha256(log) != suite["digest"]["sha256"]:
            raise Failure(f"{log} is not the log the attestation records")
        subjects = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
        present = sorted(n for n in os.listdir(rel)
                         if not n.endswith(".sig") and n not in NOT_SUBJECTS)
        unattested = [n for n in present if n not in subjects]
        if unattested:
            raise Failure("not in the attestation: " + ", ".join(unattested))
        for name, digest in sorted(subjects.items()):
            path = os.path.join(rel, name)
            if not os.path.isfile(path):
                raise Failure(f"{name}: missing from {rel}")
            if sha256(path) != digest:
                raise Failure(f"{name}: its SHA-256 is not the attested "
                              f"{digest}")
            out = run_tool(args.tool, "verify-blob", "--key", pub,
                           "--signature", path + ".sig", path)
            if out.returncode != 0:
                raise Failure(f"{name}: {out.stderr.strip()}")
            print(f"{name}: sha256 {digest}, signature verified")
    print(f"release verified: {len(subjects)} artifacts of commit {commit}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("statement")
    for opt in ("commit", "repo-url", "suite", "suite-log", "buildinfo", "out",
                "started", "finished", "invocation"):
        p.add_argument(f"--{opt}", required=True)
    p.add_argument("--suite-status", type=int, required=True)
    p.add_argument("--inputs")
    p.add_argument("subjects", nargs="+")

    for name in ("keys-add", "keys-rotate"):
        p = sub.add_parser(name)
        for opt in ("list", "public", "valid-from", "repo", "tool"):
            p.add_argument(f"--{opt}", required=True)
    p = sub.add_parser("keys-revoke")
    for opt in ("list", "keyid", "reason"):
        p.add_argument(f"--{opt}", required=True)
    p = sub.add_parser("key-check")
    for opt in ("list", "public", "commit", "repo", "tool"):
        p.add_argument(f"--{opt}", required=True)
    p = sub.add_parser("verify")
    for opt in ("list", "repo", "tool"):
        p.add_argument(f"--{opt}", required=True)
    p.add_argument("--commit")
    p.add_argument("dir")

    args = parser.parse_args()
    try:
        if args.cmd == "statement":
            cmd_statement(args)
        elif args.cmd in ("keys-add", "keys-rotate"):
            cmd_keys_add(args, rotate=args.cmd == "keys-rotate")
        elif args.cmd == "keys-revoke":
            cmd_keys_revoke(args)
        elif args.cmd == "key-check":
            cmd_key_check(args)
        else:
            cmd_verify(args)
    except Failure as e:
        print(f"release-chain: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
