"""Hostile git repositories for fuzzing ``dxplan history`` and ``dxplan diff``.

A :class:`RepoCase` is a recipe: a bundled plan (with ``keep`` action files), a folder mutation of
:mod:`fuzz.mutate` (a :class:`fuzz.mutate.Case` as JSON, or None) and a repository operator of
:data:`REPO_OPS`. :func:`build_repo` makes a real repository in the scratch folder with the git CLI:

1. the clean plan, committed;
2. the mutated plan (the folder mutation), committed;
3. the repository operator: a renamed action file or plan folder, a deleted ``plan.yaml``, a binary
   file, a huge file (up to 20 MB), a symlink to ``/etc/passwd`` (as an action file or as
   ``plan.yaml``), a gitlink (submodule entry without ``.gitmodules``), an empty commit, a merge
   commit, a commit dated 1970 or 2099 (git refuses later years), a plan folder replaced by a file — committed, or left in the
   working tree (``staged_only``) — and last, with no more git calls by the harness, hostile
   configuration that runs a command when git obeys it (``core.fsmonitor``, ``diff.external``, a
   ``textconv`` and a ``clean`` filter through ``.gitattributes``, ``core.pager``, ``core.hooksPath``).

Every planted command touches a file under ``/tmp/dxfuzz-escape-*``: the oracle's escape probes
(:data:`fuzz.oracle.ESCAPE_PROBES`) report it as ``escape`` when dxplan lets git run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from .mutate import Case, bundled_plans, cases, copy_plan, materialize

REPO_OPS = ["none", "rename_action", "rename_plan", "delete_plan_yaml", "binary", "huge", "symlink_action",
            "symlink_plan_yaml", "gitlink", "empty_commit", "merge", "old_date", "future_date", "plan_is_file",
            "staged_only", "delete_action"]
HOSTILE_CONFIG = ["none", "fsmonitor", "diff_external", "textconv", "clean_filter", "pager", "hooks"]


@dataclass(frozen=True)
class RepoCase:
    """One hostile repository recipe (see the module doc)."""

    plan: str
    keep: int | None
    mutation: dict[str, Any] | None
    op: str
    config: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"surface": "repos", **asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RepoCase:
        return cls(**{k: data[k] for k in ("plan", "keep", "mutation", "op", "config", "params")})

    def label(self) -> str:
        mut = Case.from_json(self.mutation).label() if self.mutation else "no folder mutation"
        return f"repo {self.op}+{self.config} on {self.plan} ({mut})"


@st.composite
def repo_cases(draw) -> RepoCase:
    plan = draw(st.sampled_from(bundled_plans()))
    keep = draw(st.sampled_from([0, 3, 8]))
    mutation = draw(st.one_of(st.none(), cases(plans=[plan], keep=st.just(keep)).map(Case.to_json)))
    op = draw(st.sampled_from(REPO_OPS))
    config = draw(st.sampled_from(HOSTILE_CONFIG))
    params = draw(st.fixed_dictionaries({"at": st.floats(0, 1, exclude_max=True, allow_nan=False),
                                         "size": st.sampled_from([1 << 20, 20 << 20])}))
    return RepoCase(plan, keep, mutation, op, config, params)


GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "fuzz", "GIT_AUTHOR_EMAIL": "fuzz@e.invalid",
           "GIT_COMMITTER_NAME": "fuzz", "GIT_COMMITTER_EMAIL": "fuzz@e.invalid", "GIT_TERMINAL_PROMPT": "0"}


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = {**os.environ, "HOME": str(repo.parent), **GIT_ENV, **(env or {})}
    proc = subprocess.run(["git", "-c", "core.fsmonitor=false", "-c", "commit.gpgsign=false", *args], cwd=repo,
                          env=full, capture_output=True, text=True, check=True)
    return proc.stdout


def _commit(repo: Path, msg: str, env: dict[str, str] | None = None) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "--no-verify", "-m", msg, env=env)


def build_repo(case: RepoCase, work: Path) -> Path:
    """Build the repository of ``case`` in ``work`` (created); return the plan folder inside it."""
    work.mkdir(parents=True)
    _git(work, "init", "-q", "-b", "main")
    folder = work / case.plan
    copy_plan(case.plan, folder, keep=case.keep)
    _commit(work, "clean plan")
    if case.mutation:
        mcase = Case.from_json(case.mutation)
        tmp = work.parent / "mutated"
        materialize(mcase, tmp / case.plan)
        target = folder / mcase.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp / case.plan / mcase.file, target)
        shutil.rmtree(tmp)
    _commit(work, "mutated plan")
    actions = sorted((folder / "actions").glob("*.yaml")) if (folder / "actions").is_dir() else []
    victim = actions[min(int(case.params.get("at", 0) * len(actions)), len(actions) - 1)] if actions else None
    op, commit = case.op, True
    env = None
    if op == "rename_action" and victim:
        _git(work, "mv", str(victim.relative_to(work)), str(victim.with_name("renamed-" + victim.name).relative_to(work)))
    elif op == "rename_plan":
        _git(work, "mv", case.plan, case.plan + "-renamed")
        (work / case.plan).mkdir()
        shutil.copyfile(work / (case.plan + "-renamed") / "plan.yaml", work / case.plan / "plan.yaml")
    elif op == "delete_plan_yaml":
        (folder / "plan.yaml").unlink(missing_ok=True)
    elif op == "delete_action" and victim:
        victim.unlink()
    elif op == "binary":
        (folder / "actions" / "zz-binary.yaml").write_bytes(bytes(range(256)) * 64)
    elif op == "huge":
        line = b"  - " + "これは長い備考です。".encode() * 2 + b"\n"
        (folder / "actions" / "zz-huge.yaml").write_bytes(
            b"id: zz\ntitle: huge\ncategory: '1'\nnotes:\n" + line * (int(case.params.get("size", 1 << 20)) // len(line)))
    elif op == "symlink_action":
        (folder / "actions" / "zz-passwd.yaml").symlink_to("/etc/passwd")
    elif op == "symlink_plan_yaml":
        (folder / "plan.yaml").unlink(missing_ok=True)
        (folder / "plan.yaml").symlink_to("/etc/passwd")
    elif op == "gitlink":
        head = _git(work, "rev-parse", "HEAD").strip()
        _git(work, "update-index", "--add", "--cacheinfo", f"160000,{head},{case.plan}/actions/zz-sub.yaml")
        _git(work, "commit", "-q", "--no-verify", "-m", "gitlink")
        commit = False
    elif op == "merge":
        _git(work, "checkout", "-q", "-b", "side", "HEAD~1")
        if victim:
            victim_rel = victim.relative_to(work)
            (work / victim_rel).write_text((work / victim_rel).read_text(encoding="utf-8", errors="replace") + "\n# side\n",
                                           encoding="utf-8")
        _commit(work, "side")
        _git(work, "checkout", "-q", "main")
        try:
            _git(work, "merge", "-q", "--no-edit", "-X", "ours", "side")
        except subprocess.CalledProcessError:
            _git(work, "merge", "--abort")
        commit = False
    elif op in ("old_date", "future_date"):
        date = "1970-01-02T00:00:00Z" if op == "old_date" else "2099-12-31T00:00:00Z"
        env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        if victim:
            victim.write_text(victim.read_text(encoding="utf-8", errors="replace") + "\n# dated\n", encoding="utf-8")
    elif op == "plan_is_file":
        shutil.rmtree(folder)
        folder.write_text("not a folder\n", encoding="utf-8")
    elif op == "staged_only":
        if victim:
            victim.write_text("id: [unclosed\n", encoding="utf-8")
        _git(work, "add", "-A")
        commit = False
    if commit:
        _commit(work, op, env=env)
    _hostile_config(work, case.config)
    return work / case.plan


def _hostile_config(work: Path, kind: str) -> None:
    """Plant configuration that runs a command (touching an escape probe) if git obeys it. No git call after."""
    if kind == "none":
        return
    probe = f"/tmp/dxfuzz-escape-{kind}-$$"
    cmd = f"touch {probe}"
    cfg = work / ".git" / "config"
    extra = {
        "fsmonitor": f"[core]\n\tfsmonitor = \"{cmd}\"\n",
        "diff_external": f"[diff]\n\texternal = \"{cmd}\"\n",
        "textconv": f"[diff \"evil\"]\n\ttextconv = \"{cmd};cat\"\n",
        "clean_filter": f"[filter \"evil\"]\n\tclean = \"{cmd};cat\"\n\tsmudge = \"{cmd};cat\"\n",
        "pager": f"[core]\n\tpager = \"{cmd};cat\"\n[pager]\n\tdiff = \"{cmd};cat\"\n\tlog = \"{cmd};cat\"\n",
        "hooks": "[core]\n\thooksPath = hooks-evil\n",
    }[kind]
    with open(cfg, "a", encoding="utf-8") as fh:
        fh.write(extra)
    if kind in ("textconv", "clean_filter"):
        (work / ".gitattributes").write_text("* diff=evil filter=evil\n", encoding="utf-8")
    if kind == "hooks":
        hooks = work / "hooks-evil"
        hooks.mkdir()
        for name in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
            (hooks / name).write_text(f"#!/bin/sh\n{cmd}\n", encoding="utf-8")
            (hooks / name).chmod(0o755)


#: The commands run on every repository (the plan folder's name is appended; cwd is the repository).
REPO_COMMANDS: dict[str, list[str]] = {
    "history": ["history"],
    "history_json": ["history", "--format", "json"],
    "diff": ["diff", "HEAD~1", "HEAD"],
    "diff_json": ["diff", "--format", "json", "HEAD~2", "HEAD"],
    "diff_worktree": ["diff", "HEAD"],
    "diff_md": ["diff", "--format", "markdown", "HEAD~1", "HEAD"],
}


def main(argv: list[str]) -> int:
    """``python -m tests.fuzz.repos CASE.json DEST``: build the repository of a recipe at DEST."""
    import json
    import sys

    if len(argv) != 2:
        print(main.__doc__, file=sys.stderr)
        return 2
    data = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    print(build_repo(RepoCase.from_json(data.get("case", data)), Path(argv[1])))
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
