#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Merges cargo-sbom's SPDX 2.3 document with the rest of the module build.

Run by scripts/sbom. cargo-sbom describes the Rust crates; this adds the
kernel module (.ko), the C glue files, the kernel it was built against, the
toolchain and the Debian QEMU source tarball (with --qemu-bin, the patched
QEMU binary built from it), with their relationships. Every
figure is read from the files and tools themselves. With --inputs (the JSON of
scripts/verify-inputs), each downloaded input carries its SHA-256, its
download location and purl, and an annotation saying how it was verified. With --check, it reads a
finished document back with spdx-tools' parser and checks it against the .ko
and the glue on disk.
"""

import argparse
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import uuid

SIGNATURE_MARK = b"~Module signature appended~\n"


def fail(msg):
    print(f"sbom: {msg}", file=sys.stderr)
    sys.exit(1)


def run(args, cwd=None):
    return subprocess.run(args, cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def digests(path):
    sha1 = hashlib.sha1()
    sha256 = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha1.update(block)
            sha256.update(block)
    return {"SHA1": sha1.hexdigest(), "SHA256": sha256.hexdigest()}


def checksums(path):
    return [{"algorithm": alg, "checksumValue": value}
            for alg, value in digests(path).items()]


def spdx_id(text):
    """An SPDX identifier made only of letters, digits, '.' and '-'."""
    text = text.replace("_", "--").replace("+", "-plus-")
    return re.sub(r"[^A-Za-z0-9.-]", "-", text)


def crate_id(name, version):
    """The identifier cargo-sbom gives a crate."""
    return spdx_id(f"SPDXRef-Package-{name}-{version}")


def dpkg_version(package):
    try:
        out = run(["dpkg-query", "-W", "-f=${Status} ${Version}", package])
    except (OSError, subprocess.CalledProcessError):
        return None
    if not out.startswith("install ok installed "):
        return None
    return out.split()[-1]


def dpkg_owner(path):
    try:
        out = run(["dpkg-query", "-S", os.path.realpath(path)])
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.split(":")[0]


def license_in_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for _, line in zip(range(3), f):
            m = re.search(r"SPDX-License-Identifier:\s*(.+?)\s*(\*/)?$", line)
            if m:
                return m.group(1)
    return None


def modinfo(ko):
    """The .modinfo strings of a module: {key: [values]}."""
    with open(ko, "rb") as f:
        data = f.read()
    info = {}
    for key in (b"vermagic", b"license", b"version", b"name"):
        for m in re.finditer(rb"(?:^|\0)" + key + rb"=([^\0]*)\0", data):
            info.setdefault(key.decode(), []).append(
                m.group(1).decode(errors="replace"))
    info["signed"] = data.endswith(SIGNATURE_MARK)
    return info


def glue_files(src):
    """The C glue and its Kbuild files in src: tracked ones in a git tree."""
    names = None
    try:
        out = run(["git", "ls-files", "--", "."], cwd=src)
        names = [n for n in out.splitlines() if "/" not in n]
    except (OSError, subprocess.CalledProcessError):
        pass
    if not names:
        names = sorted(os.listdir(src))
    picked = [n for n in names
              if (n.endswith((".c", ".h", ".S")) and not n.endswith(".mod.c"))
              or n in ("Kbuild", "Makefile")]
    if not any(n.endswith(".c") for n in picked):
        fail(f"no C glue (*.c) in {src}")
    return [os.path.join(src, n) for n in sorted(picked)]


def package(ident, name, version, **extra):
    pkg = {
        "SPDXID": ident,
        "name": name,
        "versionInfo": version,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
    }
    pkg.update(extra)
    return pkg


def rel(a, kind, b):
    return {"spdxElementId": a, "relationshipType": kind,
            "relatedSpdxElement": b}


def reachable_crates(metadata, root_name):
    """(name, version) of the crates a normal build of root_name links."""
    packages = {p["id"]: p for p in metadata["packages"]}
    nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}
    roots = [i for i in metadata["workspace_members"]
             if packages[i]["name"] == root_name]
    if len(roots) != 1:
        fail(f"{root_name} is not one package of the workspace")
    seen, todo = set(), list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for dep in nodes[node]["deps"]:
            if any(k["kind"] is None for k in dep["dep_kinds"]):
                todo.append(dep["pkg"])
    return roots[0], packages, nodes, {
        (packages[i]["name"], packages[i]["version"]) for i in seen}


CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index"


def crate_checksums(lock):
    """{(name, version): SHA-256} of the crates.io packages of a Cargo.lock."""
    with open(lock, "rb") as f:
        packages = tomllib.load(f).get("package", [])
    return {(p["name"], p["version"]): p["checksum"] for p in packages
            if p.get("source") == CRATES_IO and "checksum" in p}


def cached_crate(name, version):
    """The .crate file cargo downloaded, in its registry cache, or None."""
    home = os.environ.get("CARGO_HOME", os.path.expanduser("~/.cargo"))
    for index in sorted(os.listdir(os.path.join(home, "registry", "cache"))
                        if os.path.isdir(os.path.join(home, "registry",
                                                      "cache")) else []):
        path = os.path.join(home, "registry", "cache", index,
                            f"{name}-{version}.crate")
        if os.path.isfile(path):
            return path
    return None


def crate_verified(pkg, sha, created):
    """The SPDX fields of a crates.io crate: its hash and how it was checked."""
    name, version = pkg["name"], pkg["versionInfo"]
    path = cached_crate(name, version)
    if not path:
        fail(f"{name}-{version}.crate is not in cargo's registry cache: "
             "build the module first")
    have = digests(path)["SHA256"]
    if have != sha:
        fail(f"{path}: SHA-256 {have}, Cargo.lock pins {sha}")
    pkg["checksums"] = sha256_only(sha)
    pkg["packageFileName"] = f"{name}-{version}.crate"
    pkg["downloadLocation"] = (f"https://crates.io/api/v1/crates/{name}/"
                               f"{version}/download")
    pkg.setdefault("annotations", []).append({
        "annotationDate": created,
        "annotationType": "REVIEW",
        "annotator": "Tool: sifive-i2c-scripts-sbom",
        "comment": (
            "Verified: Chain: Cargo.lock (committed) pins the .crate's "
            "SHA-256, which cargo took from the crates.io index over HTTPS; "
            "no signature. cargo checks every download against it (the "
            "builds run with --locked), and the SBOM script found "
            f"the .crate in cargo's registry cache with that SHA-256."),
    })


def rust_part(args, doc):
    """cargo-sbom's packages for what the module links, made valid."""
    with open(args.cargo_sbom, encoding="utf-8") as f:
        rust = json.load(f)
    with open(args.metadata, encoding="utf-8") as f:
        metadata = json.load(f)
    root, packages, nodes, linked = reachable_crates(metadata, args.package)
    pinned = crate_checksums(os.path.join(metadata["workspace_root"],
                                          "Cargo.lock"))

    kept = set()
    for pkg in rust["packages"]:
        if (pkg["name"], pkg["versionInfo"]) not in linked:
            continue
        pkg["SPDXID"] = spdx_id(pkg["SPDXID"])
        loc = pkg.get("downloadLocation", "NOASSERTION")
        # cargo-sbom writes cargo's source id ("registry+URL"), which is not
        # an SPDX download location; the purl it adds names the crate.
        if loc.startswith("registry+"):
            pkg["sourceInfo"] = f"cargo source: {loc}"
            pkg["downloadLocation"] = "NOASSERTION"
            sha = pinned.get((pkg["name"], pkg["versionInfo"]))
            if loc != CRATES_IO or not sha:
                fail(f"{pkg['name']} {pkg['versionInfo']}: from {loc}, with "
                     "no SHA-256 in Cargo.lock")
            crate_verified(pkg, sha, doc["creationInfo"]["created"])
        pkg.setdefault("filesAnalyzed", False)
        pkg.setdefault("copyrightText", "NOASSERTION")
        kept.add(pkg["SPDXID"])
        doc["packages"].append(pkg)
    missing = {crate_id(*c) for c in linked} - kept
    if missing:
        fail("cargo-sbom did not list " + ", ".join(sorted(missing)))

    for f in rust.get("files", []):
        f["SPDXID"] = spdx_id(f["SPDXID"])
        f.setdefault("copyrightText", "NOASSERTION")
        kept.add(f["SPDXID"])
        doc["files"].append(f)
    for r in rust["relationships"]:
        a = spdx_id(r["spdxElementId"])
        b = spdx_id(r["relatedSpdxElement"])
        # The document describes the module, not the lock file.
        if a in kept and b in kept:
            doc["relationships"].append(rel(a, r["relationshipType"], b))
    doc["creationInfo"]["creators"] += rust["creationInfo"]["creators"]

    root_pkg = packages[root]
    root_id = crate_id(root_pkg["name"], root_pkg["version"])
    # cargo-sbom names the lock file only for a plain lib or bin crate.
    lock = os.path.join(metadata["workspace_root"], "Cargo.lock")
    if not any(f["fileName"].endswith("Cargo.lock") for f in doc["files"]):
        entry = file_entry(args.top, lock)
        entry["fileTypes"] = ["TEXT"]
        doc["files"].append(entry)
        doc["relationships"].append(rel(entry["SPDXID"],
                                        "DEPENDENCY_MANIFEST_OF", root_id))
    tools = []
    for dep in nodes[root]["deps"]:
        dep_pkg = packages[dep["pkg"]]
        if dep_pkg["name"] == "bindgen" and any(
                k["kind"] == "build" for k in dep["dep_kinds"]):
            tools.append(dep_pkg)
    return root_pkg, tools


def load_inputs(args):
    """{name: input} from scripts/verify-inputs, or {} without --inputs."""
    if not args.inputs:
        return {}
    with open(args.inputs, encoding="utf-8") as f:
        return {inp["name"]: inp for inp in json.load(f)}


def verified(inp, created):
    """The SPDX fields that record an input's hash and its verification."""
    return {
        "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER",
                          "referenceType": "purl",
                          "referenceLocator": inp["purl"]}],
        "annotations": [{
            "annotationDate": inp.get("verifiedOn", created),
            "annotationType": "REVIEW",
            "annotator": "Tool: sifive-i2c-scripts-verify-inputs",
            "comment": "Verified: " + inp["verifiedBy"],
        }],
    }


def sha256_only(value):
    return [{"algorithm": "SHA256", "checksumValue": value}]


def input_packages(args, doc, module_id, inputs, used):
    """The verified inputs no other part placed: test dependencies."""
    for name, inp in sorted(inputs.items()):
        if name in used:
            continue
        ident = spdx_id(f"SPDXRef-Package-input-{name}")
        doc["packages"].append(package(
            ident, name, inp["version"], packageFileName=inp["fileName"],
            checksums=sha256_only(inp["sha256"]), supplier="Organization: Debian",
            primaryPackagePurpose="SOURCE", downloadLocation=inp["uri"]
            if inp["uri"].startswith("http") else "NOASSERTION",
            comment="A downloaded input of the test chain (scripts/test).",
            **verified(inp, doc["creationInfo"]["created"])))
        doc["relationships"].append(rel(ident, "TEST_DEPENDENCY_OF", module_id))


def kernel_part(args, doc, module_id, info):
    kdir = args.kdir
    try:
        with open(os.path.join(kdir, "include/config/kernel.release"),
                  encoding="utf-8") as f:
            release = f.read().strip()
    except OSError:
        fail(f"{kdir} is not a built kernel (no include/config/kernel.release)")
    make = {}
    with open(os.path.join(kdir, "Makefile"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)\s*=\s*(\S*)",
                         line)
            if m and m.group(1) not in make:
                make[m.group(1)] = m.group(2)
    base = f"{make['VERSION']}.{make['PATCHLEVEL']}.{make['SUBLEVEL']}"
    vermagic = info.get("vermagic", [""])[0].split()
    if not vermagic or vermagic[0] != release:
        fail(f"{args.ko} was built for {' '.join(vermagic) or 'no kernel'}, "
             f"{kdir} is {release}")
    config = {}
    with open(os.path.join(kdir, ".config"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r'(CONFIG_[A-Z0-9_]+)=(.*)', line.strip())
            if m:
                config[m.group(1)] = m.group(2).strip('"')

    kernel_id = "SPDXRef-Package-linux"
    doc["packages"].append(package(
        kernel_id, "linux", release,
        licenseDeclared="GPL-2.0-only WITH Linux-syscall-note",
        primaryPackagePurpose="OPERATING-SYSTEM",
        comment=(f"The kernel build the module was built against "
                 f"(kernel.release {release}, vermagic "
                 f"'{' '.join(vermagic)}')."),
        supplier="Organization: Linux kernel developers"))
    doc["relationships"].append(rel(kernel_id, "BUILD_DEPENDENCY_OF",
                                    module_id))

    deb = f"linux-source-{make['VERSION']}.{make['PATCHLEVEL']}"
    deb_version = dpkg_version(deb)
    inp = args.inputs_by_name.get(deb)
    if inp and inp["version"] != deb_version:
        fail(f"scripts/verify-inputs verified {deb} {inp['version']}, "
             f"{deb_version} is installed")
    if deb_version and deb_version.split("-")[0] == base:
        extra = {}
        tarball = f"/usr/src/{deb}.tar.xz"
        if inp:
            extra = {"packageFileName": inp["fileName"],
                     "checksums": sha256_only(inp["sha256"]),
                     "downloadLocation": inp["uri"],
                     **verified(inp, doc["creationInfo"]["created"])}
        else:
            extra = {"externalRefs": [{
                "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                "referenceLocator":
                f"pkg:deb/debian/{deb}@{deb_version}?arch=all"}]}
        deb_id = spdx_id(f"SPDXRef-Package-{deb}")
        doc["packages"].append(package(
            deb_id, deb, deb_version, supplier="Organization: Debian",
            primaryPackagePurpose="SOURCE",
            licenseDeclared="GPL-2.0-only WITH Linux-syscall-note",
            sourceInfo=f"Debian binary package {deb} {deb_version}",
            **extra))
        source_id = deb_id
        if os.path.isfile(tarball):
            source_id = spdx_id(f"SPDXRef-Package-{deb}-tarball")
            sums = checksums(tarball)
            if inp and inp["tarball"]["sha256"] != sums[1]["checksumValue"]:
                fail(f"{tarball} changed since scripts/verify-inputs ran")
            doc["packages"].append(package(
                source_id, os.path.basename(tarball), deb_version,
                packageFileName=os.path.basename(tarball), checksums=sums,
                supplier="Organization: Debian", primaryPackagePurpose="SOURCE",
                licenseDeclared="GPL-2.0-only WITH Linux-syscall-note",
                comment=f"The kernel source tarball that {deb} installs as "
                        f"{tarball}; dpkg --verify checked it against the "
                        f".deb's md5sums."))
            doc["relationships"].append(rel(source_id, "CONTAINED_BY", deb_id))
        doc["relationships"].append(rel(kernel_id, "GENERATED_FROM", source_id))
        args.inputs_used.add(deb)
    else:
        print(f"sbom: {deb} {deb_version or 'is not installed'}; {kdir} is "
              f"{base}: the kernel source package is left out",
              file=sys.stderr)
    return config


def tool_package(doc, module_id, name, version, comment, deb_of=None):
    ident = spdx_id(f"SPDXRef-Package-tool-{name}")
    extra = {}
    if deb_of:
        owner = dpkg_owner(deb_of)
        owner_version = dpkg_version(owner) if owner else None
        if owner_version:
            extra = {"supplier": "Organization: Debian",
                     "sourceInfo": f"Debian package {owner} {owner_version}",
                     "externalRefs": [{
                         "referenceCategory": "PACKAGE-MANAGER",
                         "referenceType": "purl",
                         "referenceLocator":
                         f"pkg:deb/debian/{owner}@{owner_version}"}]}
    doc["packages"].append(package(ident, name, version,
                                   primaryPackagePurpose="APPLICATION",
                                   comment=comment, **extra))
    doc["relationships"].append(rel(ident, "BUILD_TOOL_OF", module_id))


def toolchain_part(args, doc, module_id, config, bindgen):
    cwd = os.path.dirname(os.path.abspath(args.manifest))
    rustc = dict(line.split(": ", 1) for line in
                 run(["rustc", "-vV"], cwd=cwd).splitlines()[1:]
                 if ": " in line)
    rustc_line = run(["rustc", "-V"], cwd=cwd)
    tool_package(doc, module_id, "rustc", rustc["release"],
                 f"{rustc_line}, host {rustc['host']}")
    cargo_line = run(["cargo", "-V"], cwd=cwd)
    tool_package(doc, module_id, "cargo", cargo_line.split()[1], cargo_line)

    cc_text = config.get("CONFIG_CC_VERSION_TEXT")
    if not cc_text:
        fail(f"{args.kdir}/.config has no CONFIG_CC_VERSION_TEXT")
    cc = cc_text.split()[0]
    path = shutil.which(cc)
    same = path and run([path, "--version"]).splitlines()[0] == cc_text
    tool_package(doc, module_id, cc, cc_text.split()[-1],
                 f"The kernel's compiler (CONFIG_CC_VERSION_TEXT): {cc_text}",
                 deb_of=path if same else None)

    if not bindgen:
        print("sbom: the crate has no bindgen build dependency",
              file=sys.stderr)
    for pkg in bindgen:
        ident = spdx_id(f"SPDXRef-Package-tool-{pkg['name']}")
        licence = (pkg.get("license") or "NOASSERTION").replace("/", " OR ")
        doc["packages"].append(package(
            ident, pkg["name"], pkg["version"], licenseDeclared=licence,
            primaryPackagePurpose="LIBRARY",
            comment="Run by the crate's build.rs to generate the Rust "
                    "declarations of the glue's header.",
            externalRefs=[{"referenceCategory": "PACKAGE-MANAGER",
                           "referenceType": "purl",
                           "referenceLocator":
                           f"pkg:cargo/{pkg['name']}@{pkg['version']}"}]))
        doc["relationships"].append(rel(ident, "BUILD_TOOL_OF", module_id))


def qemu_part(args, doc, module_id):
    with open(args.qemu_build, encoding="utf-8") as f:
        script = f.read()
    pins = dict(re.findall(r"^(version|tarball_sha256)=(\S+)$", script, re.M))
    if len(pins) != 2:
        fail(f"{args.qemu_build} does not pin version and tarball_sha256")
    version = pins["version"]
    tarball = f"qemu_{version}+ds.orig.tar.xz"
    path = os.path.join(args.cache, "src", tarball)
    if not os.path.isfile(path):
        fail(f"no {path}: run qemu/model/build.sh first")
    sums = checksums(path)
    sha256 = next(c["checksumValue"] for c in sums
                  if c["algorithm"] == "SHA256")
    if sha256 != pins["tarball_sha256"]:
        fail(f"{path} has SHA256 {sha256}, qemu/model/build.sh pins "
             f"{pins['tarball_sha256']}")
    qemu_id = "SPDXRef-Package-qemu"
    extra = {}
    inp = args.inputs_by_name.get("qemu")
    if inp:
        if inp["sha256"] != sha256 or inp["fileName"] != tarball:
            fail(f"scripts/verify-inputs verified {inp['fileName']} "
                 f"{inp['sha256']}, not {tarball} {sha256}")
        extra = verified(inp, doc["creationInfo"]["created"])
        extra["downloadLocation"] = inp["uri"]
        args.inputs_used.add("qemu")
    doc["packages"].append(package(
        qemu_id, "qemu", f"{version}+ds", packageFileName=tarball,
        checksums=sums, supplier="Organization: Debian", **extra,
        primaryPackagePurpose="SOURCE",
        sourceInfo="The orig tarball of Debian's qemu source package "
                   "(bookworm-backports), fetched by qemu/model/build.sh "
                   "with apt-get source.",
        comment="The emulator the module is tested on, built from this "
                "tarball with the patches in qemu/model/patches."))
    doc["relationships"].append(rel(qemu_id, "TEST_TOOL_OF", module_id))
    patches = os.path.join(os.path.dirname(args.qemu_build), "patches")
    for name in sorted(os.listdir(patches)):
        if name.endswith(".patch"):
            doc["files"].append(file_entry(args.top,
                                           os.path.join(patches, name)))
            doc["relationships"].append(rel(doc["files"][-1]["SPDXID"],
                                            "PATCH_APPLIED", qemu_id))
    if args.qemu_bin:
        bin_id = "SPDXRef-Package-qemu-system-riscv64"
        doc["packages"].append(package(
            bin_id, "qemu-system-riscv64", f"{version}+ds",
            packageFileName=os.path.basename(args.qemu_bin),
            checksums=checksums(args.qemu_bin),
            primaryPackagePurpose="APPLICATION",
            comment="The patched emulator the suite ran on, a release "
                    "artifact: built by qemu/model/build.sh from the qemu "
                    "tarball with the patches in qemu/model/patches."))
        doc["relationships"].append(rel(bin_id, "GENERATED_FROM", qemu_id))
        doc["relationships"].append(rel(bin_id, "TEST_TOOL_OF", module_id))


def file_entry(top, path):
    """A file, named relative to the project (SPDX has no absolute names)."""
    path = os.path.abspath(path)
    rel_path = os.path.relpath(path, top)
    outside = rel_path.startswith("..")
    if outside:
        rel_path = os.path.basename(path)
    rel_path = "./" + rel_path
    entry = {
        "SPDXID": spdx_id("SPDXRef-File-" + rel_path.lstrip("./")),
        "fileName": rel_path,
        "checksums": checksums(path),
        "fileTypes": ["SOURCE"],
        "licenseConcluded": "NOASSERTION",
        "copyrightText": "NOASSERTION",
    }
    if outside:
        entry["comment"] = f"From {os.path.dirname(path)}, outside the project."
    licence = license_in_file(path)
    if licence:
        entry["licenseInfoInFiles"] = [licence]
    return entry


def merge(args):
    info = modinfo(args.ko)
    ko_name = os.path.basename(args.ko)
    name = ko_name.removesuffix(".ko")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    created = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
               if epoch else datetime.datetime.now(datetime.timezone.utc))
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": ko_name,
        "creationInfo": {
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "creators": ["Tool: sifive-i2c-scripts-sbom"],
        },
        "packages": [],
        "files": [],
        "relationships": [],
    }
    root_pkg, bindgen = rust_part(args, doc)
    repo = (root_pkg.get("repository") or "https://spdx.org/spdxdocs").rstrip("/")
    doc["documentNamespace"] = f"{repo}/spdxdocs/{name}-{uuid.uuid4()}"

    module_id = spdx_id(f"SPDXRef-Package-module-{name}")
    version = info.get("version", [root_pkg["version"]])[0]
    vermagic = info.get("vermagic", ["none"])[0]
    doc["packages"].append(package(
        module_id, name, version, packageFileName=ko_name,
        checksums=checksums(args.ko), primaryPackagePurpose="OTHER",
        comment=(f"Linux kernel module ({'signed' if info['signed'] else 'unsigned'}"
                 f"; vermagic '{vermagic}'; MODULE_LICENSE "
                 f"'{', '.join(info.get('license', ['none']))}')."),
    ))
    doc["relationships"].append(rel("SPDXRef-DOCUMENT", "DESCRIBES", module_id))
    doc["relationships"].append(rel(
        module_id, "STATIC_LINK",
        crate_id(root_pkg["name"], root_pkg["version"])))
    for path in glue_files(args.src):
        entry = file_entry(args.top, path)
        doc["files"].append(entry)
        doc["relationships"].append(rel(module_id, "GENERATED_FROM",
                                        entry["SPDXID"]))

    args.inputs_by_name = load_inputs(args)
    args.inputs_used = set()
    config = kernel_part(args, doc, module_id, info)
    toolchain_part(args, doc, module_id, config, bindgen)
    qemu_part(args, doc, module_id)
    input_packages(args, doc, module_id, args.inputs_by_name, args.inputs_used)

    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def check(args):
    """Reads the document back with spdx-tools and checks it against disk."""
    # pylint: disable=import-outside-toplevel
    from spdx_tools.spdx.model import RelationshipType
    from spdx_tools.spdx.parser.parse_anything import parse_file

    doc = parse_file(args.check)
    described = [r.related_spdx_element_id for r in doc.relationships
                 if r.spdx_element_id == "SPDXRef-DOCUMENT"
                 and r.relationship_type == RelationshipType.DESCRIBES]
    modules = [p for p in doc.packages if p.spdx_id in described]
    if len(modules) != 1:
        fail(f"{args.check} describes {len(modules)} packages, not one module")
    module = modules[0]
    want = digests(args.ko)["SHA256"]
    have = {c.algorithm.name: c.value for c in module.checksums}
    if have.get("SHA256") != want:
        fail(f"{args.check}: the module's SHA256 is {have.get('SHA256')}, "
             f"{args.ko} has {want}")
    by_name = {os.path.basename(f.name): f for f in doc.files}
    for path in glue_files(args.src):
        entry = by_name.get(os.path.basename(path))
        sha = entry and {c.algorithm.name: c.value for c in entry.checksums}
        if not sha or sha.get("SHA256") != digests(path)["SHA256"]:
            fail(f"{args.check}: {path} is missing or has another SHA256")
    related = {}
    for r in doc.relationships:
        if module.spdx_id in (r.spdx_element_id, r.related_spdx_element_id):
            related.setdefault(r.relationship_type.name, []).append(r)
    names = {p.spdx_id: p.name for p in doc.packages}
    tools = sorted(names[r.spdx_element_id]
                   for r in related.get("BUILD_TOOL_OF", []))
    for need in ("STATIC_LINK", "GENERATED_FROM", "BUILD_DEPENDENCY_OF",
                 "BUILD_TOOL_OF", "TEST_TOOL_OF"):
        if need not in related:
            fail(f"{args.check}: the module has no {need} relationship")
    if args.inputs:
        with open(args.inputs, encoding="utf-8") as f:
            inputs = json.load(f)
        for inp in inputs:
            pkgs = [p for p in doc.packages
                    if p.file_name == inp["fileName"]
                    and any(c.algorithm.name == "SHA256"
                            and c.value == inp["sha256"] for c in p.checksums)]
            notes = [a for a in doc.annotations
                     if pkgs and a.spdx_id == pkgs[0].spdx_id
                     and a.annotation_comment.startswith("Verified: ")]
            if not pkgs or not notes:
                fail(f"{args.check}: the input {inp['fileName']} is missing, "
                     "has another SHA256 or no verification annotation")
    if args.qemu_bin:
        want_bin = digests(args.qemu_bin)["SHA256"]
        bins = [p for p in doc.packages if p.name == "qemu-system-riscv64"
                and any(c.algorithm.name == "SHA256" and c.value == want_bin
                        for c in p.checksums)]
        if not bins or not any(
                r.spdx_element_id == bins[0].spdx_id
                and r.relationship_type.name == "GENERATED_FROM"
                for r in doc.relationships):
            fail(f"{args.check}: no qemu-system-riscv64 with {args.qemu_bin}'s "
                 "SHA256, generated from the QEMU source")
    crates = [p for p in doc.packages if any(
        ref.locator.startswith("pkg:cargo/") for ref in p.external_references)]
    for crate in crates:
        if not (crate.source_info or "").startswith("cargo source: registry+"):
            continue  # A crate of this project, not a download.
        verified_notes = [a for a in doc.annotations
                          if a.spdx_id == crate.spdx_id
                          and a.annotation_comment.startswith("Verified: ")]
        if not any(c.algorithm.name == "SHA256" for c in crate.checksums) \
                or not verified_notes:
            fail(f"{args.check}: the crate {crate.name} {crate.version} has "
                 "no SHA256 or no verification annotation")
    print(f"sbom: {module.name} {module.version} sha256 {want}; "
          f"{len(doc.packages)} packages ({len(crates)} from crates.io), "
          f"{len(doc.files)} files, {len(doc.relationships)} relationships; "
          f"build tools: {', '.join(tools)}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", metavar="DOC")
    for opt in ("cargo-sbom", "metadata", "package", "manifest", "kdir",
                "qemu-build", "cache", "top", "out", "inputs", "qemu-bin"):
        parser.add_argument(f"--{opt}")
    parser.add_argument("--ko", required=True)
    parser.add_argument("--src", required=True)
    args = parser.parse_args()
    if args.check:
        check(args)
        return
    for opt in ("cargo_sbom", "metadata", "package", "manifest", "kdir",
                "qemu_build", "cache", "top", "out"):
        if not getattr(args, opt):
            parser.error(f"--{opt.replace('_', '-')} is required")
    merge(args)


if __name__ == "__main__":
    main()
