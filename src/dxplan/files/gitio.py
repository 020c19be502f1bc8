"""Git access for the review workflow: every call goes through the git CLI.

Commands run as ``subprocess.run(["git", ...])`` with list arguments (never a
shell), in the repository that holds the plans. Nothing here interprets plan
data; :mod:`dxplan.files.load` asks for file lists and file contents at a revision.

Git output is read in forms a file name cannot shift: listings are
NUL-separated (``-z``), and blobs are read by object id (``git cat-file
--batch`` is given ids, never names, so a newline in a name cannot split a
request). A revision from the user is checked (it may not start with ``-``) and
passed after ``--end-of-options``, so it is never taken for an option.

For a reader of many revisions (a history): :class:`BlobReader` serves any number of blobs from one
long-lived ``git cat-file --batch``, and :func:`tree_listings` lists a folder at many trees with one
``git diff-tree --stdin`` — one git process each, not one per file or per commit.

Every failure raises :class:`GitError`, whose message (Japanese and English)
says what went wrong and, when a revision is missing from a shallow clone, what
to fetch. The CLI turns it into exit code 2 without a traceback.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import layout as planfiles
from dxplan.i18n import N_, Text, UserError


class GitError(UserError):
    """A git command failed or a revision is not available (a usage error, exit 2); the message
    (see :class:`dxplan.i18n.UserError`) often says what to fetch."""


#: Configuration given to every git process, over the repository's own: a plans repository
#: cloned from elsewhere may name programs in its config (``core.fsmonitor``, a pager, an external
#: diff) that a command reading the index or printing a diff would run.
SAFE_CONFIG = {"core.fsmonitor": "false", "core.pager": "cat", "diff.external": "", "core.untrackedCache": "false"}


def _env() -> dict[str, str]:
    """The environment of every git process: C messages, no prompt, :data:`SAFE_CONFIG` (``GIT_CONFIG_*``)."""
    env = dict(os.environ)
    env.setdefault("LC_ALL", "C")  # stable, parseable git messages
    env["GIT_TERMINAL_PROMPT"] = "0"  # never wait for credentials
    count = int(env["GIT_CONFIG_COUNT"]) if env.get("GIT_CONFIG_COUNT", "").isdigit() else 0  # the user's own come first
    for i, (key, value) in enumerate(SAFE_CONFIG.items(), start=count):
        env[f"GIT_CONFIG_KEY_{i}"] = key
        env[f"GIT_CONFIG_VALUE_{i}"] = value
    env["GIT_CONFIG_COUNT"] = str(count + len(SAFE_CONFIG))
    return env


def run_git(args: list[str], cwd: Path | str, *, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run ``git <args>`` in ``cwd`` and return the completed process (stdout/stderr as bytes).

    Raises :class:`GitError` when git is not installed, ``cwd`` does not exist, or
    (with ``check``) the command exits non-zero; the message quotes git's stderr.
    """
    cmd = ["git", *args]
    try:
        proc = subprocess.run(cmd, cwd=str(cwd), input=input, capture_output=True, env=_env(), check=False)
    except FileNotFoundError as exc:
        if not Path(cwd).exists():
            raise GitError(N_("no such folder: {cwd}"), {"cwd": cwd}) from None
        raise GitError(N_("the git command was not found; install git.")) from exc
    except OSError as exc:
        raise GitError(N_("cannot run git: {exc}"), {"exc": exc}) from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        shown = " ".join(cmd)
        raise GitError(N_("git command failed ({shown}): {err}"), {"shown": shown, "err": err})
    return proc


def _out(args: list[str], cwd: Path | str) -> str:
    return run_git(args, cwd).stdout.decode("utf-8", "replace").strip()


def repo_root(path: Path | str = ".") -> Path:
    """The top folder of the git work tree holding ``path`` (a file or folder), resolved.

    Raises :class:`GitError` when ``path`` is not inside a git repository.
    """
    p = Path(path).resolve()
    cwd = p if p.is_dir() else p.parent
    while not cwd.exists():
        cwd = cwd.parent
    proc = run_git(["rev-parse", "--show-toplevel"], cwd, check=False)
    if proc.returncode != 0:
        raise GitError(N_("{path} is not inside a git repository; run this inside one (git init / git clone)."), {"path": path})
    return Path(proc.stdout.decode("utf-8", "replace").strip()).resolve()


def is_shallow(repo: Path) -> bool:
    """True when ``repo`` is a shallow clone (``git clone --depth N``)."""
    return _out(["rev-parse", "--is-shallow-repository"], repo) == "true"


def fetch_hint(rev: str, repo: Path) -> Text:
    """What to fetch so that ``rev`` resolves in ``repo``: a sentence (:class:`~dxplan.i18n.Text`) with the command.

    ``HEAD~N``/``X^`` need N more commits of history (``git fetch --deepen=N``);
    ``origin/main`` needs that branch (``git fetch origin main``); a commit id
    needs that commit (``git fetch origin <sha>``). A full clone without a remote
    ref gets ``git fetch origin``.
    """
    shallow = is_shallow(repo)
    remotes = _out(["remote"], repo).split()
    if not remotes:
        return Text("check the name (git branch -a, git log --oneline)")
    remote = "origin" if "origin" in remotes else remotes[0]
    m = re.fullmatch(r"(.+?)((?:~\d*|\^\d*)+)", rev)
    if m:
        depth = 0
        for op, n in re.findall(r"([~^])(\d*)", m.group(2)):
            depth += int(n or 1) if op == "~" else 1
        depth = max(depth, 1)
        cmd = f"git fetch --deepen={depth}" if shallow else f"git fetch {remote}"
    elif re.fullmatch(r"[0-9a-fA-F]{7,40}", rev):
        cmd = f"git fetch --depth=1 {remote} {rev}" if shallow else f"git fetch {remote} {rev}"
    elif rev.startswith(f"{remote}/"):
        branch = rev.split("/", 1)[1]
        cmd = f"git fetch --depth=1 {remote} {branch}:refs/remotes/{remote}/{branch}" if shallow else f"git fetch {remote} {branch}"
    else:
        cmd = f"git fetch {remote} {rev}"
    if shallow:
        return Text("this is a shallow clone; fetch it: {cmd} (or all history: git fetch --unshallow; in GitHub Actions set fetch-depth: 0 on actions/checkout)", cmd=cmd)
    return Text("fetch it: {cmd}", cmd=cmd)


def resolve(rev: str, repo: Path) -> str:
    """The full commit id ``rev`` names in ``repo``.

    Raises :class:`GitError` naming the revision and what to fetch when it is
    not available (unknown name, or outside the history of a shallow clone).
    """
    if not rev or rev.startswith("-"):
        raise GitError(N_("not a revision: {rev!r}"), {"rev": rev})
    proc = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo, check=False)
    if proc.returncode == 0:
        return proc.stdout.decode().strip()
    raise GitError(N_("revision {rev} is not available in this repository; {hint}"), {"rev": rev, "hint": fetch_hint(rev, repo)})


def short(commit: str, repo: Path) -> str:
    """The abbreviated id of ``commit`` (``git rev-parse --short``)."""
    return _out(["rev-parse", "--short", commit], repo)


def default_branch(repo: Path) -> str | None:
    """The branch pull requests go into, as a revision name, or None when none is found.

    Order: ``origin/$GITHUB_BASE_REF`` (GitHub pull requests); the remote's HEAD
    (``refs/remotes/origin/HEAD``); then ``origin/main``, ``origin/master``,
    ``main``, ``master`` — the first that exists.
    """
    candidates = []
    base_ref = os.environ.get("GITHUB_BASE_REF")
    if base_ref:
        candidates.append(f"origin/{base_ref}")
    proc = run_git(["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"], repo, check=False)
    if proc.returncode == 0:
        ref = proc.stdout.decode().strip()
        candidates.append(ref.removeprefix("refs/remotes/"))
    candidates += ["origin/main", "origin/master", "main", "master"]
    for name in candidates:
        if name.startswith("-"):
            continue
        if run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}"], repo, check=False).returncode == 0:
            return name
    return None


def merge_base(a: str, b: str, repo: Path) -> str:
    """The best common ancestor of ``a`` and ``b``.

    Raises :class:`GitError` when there is none in the history available (a
    shallow clone cut below it, or unrelated histories), saying what to fetch.
    """
    ca, cb = resolve(a, repo), resolve(b, repo)
    proc = run_git(["merge-base", ca, cb], repo, check=False)
    if proc.returncode == 0:
        return proc.stdout.decode().strip()
    if is_shallow(repo):
        raise GitError(N_("no common ancestor of {a} and {b} in this shallow clone; fetch more history: git fetch --deepen=100 (or all: git fetch --unshallow; in GitHub Actions fetch-depth: 0), or give BASE explicitly."), {"a": a, "b": b})
    raise GitError(N_("{a} and {b} have no common ancestor; give BASE explicitly."), {"a": a, "b": b})


def default_base(repo: Path) -> tuple[str, str]:
    """``(label, commit)`` of the default base: the merge-base of the default branch and HEAD.

    Raises :class:`GitError` when no default branch is found or the merge-base is
    not in the available history.
    """
    branch = default_branch(repo)
    if branch is None:
        raise GitError(N_("no default branch found (origin/HEAD, main, master); give BASE (e.g. dxplan diff HEAD~1)."))
    return f"merge-base({branch}, HEAD)", merge_base(branch, "HEAD", repo)


def ls_tree(commit: str, rel: str, repo: Path) -> dict[str, str]:
    """Files under ``rel`` (repository-relative, ``""`` for all) at ``commit``: name → blob id.

    Names are repository-relative posix paths, read from ``git ls-tree -r -z``
    (NUL-separated, so any byte of a name, a newline included, stays in it).
    Entries that are not blobs (submodules) are left out. An empty mapping when
    ``rel`` does not exist at that commit. Raises :class:`GitError` if git fails.
    """
    args = ["ls-tree", "-r", "-z", "--full-name", "--end-of-options", commit]
    if rel:
        args += ["--", rel]
    out = run_git(args, repo).stdout.decode("utf-8", "surrogateescape")
    files: dict[str, str] = {}
    for entry in out.split("\0"):
        if not entry:
            continue
        meta, _, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            files[name] = parts[2]
    return files


def read_blobs(ids: list[str], repo: Path) -> dict[str, bytes]:
    """The contents of the blobs ``ids`` (object ids from :func:`ls_tree`), by id; an id git lacks is left out.

    One ``git cat-file --batch`` process serves every id (the same bytes as
    ``git show REV:path``). Requests are object ids only, one a line, so no
    file name is ever part of the request. Raises :class:`GitError` if git fails.
    """
    wanted = _object_ids(ids)
    if not wanted:
        return {}
    out = run_git(["cat-file", "--batch"], repo, input="".join(f"{oid}\n" for oid in wanted).encode("ascii")).stdout
    result: dict[str, bytes] = {}
    pos = 0
    for _ in wanted:
        nl = out.index(b"\n", pos)
        parts = out[pos:nl].decode("ascii", "replace").split()
        pos = nl + 1
        if len(parts) == 3 and parts[1] == "blob":
            size = int(parts[2])
            result[parts[0]] = out[pos : pos + size]
            pos += size + 1  # content is followed by a newline
    return result


def _object_ids(ids: list[str]) -> list[str]:
    """``ids`` without repeats, each checked to be a full object id (so no name or option reaches git)."""
    wanted = list(dict.fromkeys(ids))
    for oid in wanted:
        if not re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", oid):
            raise GitError(N_("not an object id: {oid!r}"), {"oid": oid})
    return wanted


def blob_sizes(ids: list[str], repo: Path) -> dict[str, int]:
    """The size in bytes of each blob ``ids`` (``git cat-file --batch-check``; nothing is read), by id.

    Lets a reader refuse a file over its size limit before reading it. Raises :class:`GitError` if git fails.
    """
    wanted = _object_ids(ids)
    if not wanted:
        return {}
    out = run_git(["cat-file", "--batch-check"], repo, input="".join(f"{oid}\n" for oid in wanted).encode("ascii")).stdout
    sizes: dict[str, int] = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


_BATCH_REQUESTS = 256
"""Object ids a :class:`BlobReader` sends at once (about 10 KB, well under a pipe's buffer)."""


class BlobReader:
    """Blobs by object id from one long-lived ``git cat-file --batch`` process, one request at a time.

    For readers that want many blobs but not all at once (a history reads each new file of each
    commit): the process is started on the first :meth:`read` and serves every later one, so a
    thousand blobs cost one git process, and only the blob being read is held in memory. Requests
    are full object ids only, as in :func:`read_blobs`. Use it as a context manager, or call
    :meth:`close`; a reader is not shared between processes (a forked worker opens its own).
    Raises :class:`GitError` when git cannot be started or stops answering.
    """

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self._proc: subprocess.Popen[bytes] | None = None
        self._err: Any = None

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        import tempfile

        # git's complaints, read only when it fails (a pipe could fill up); closed by close()
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            return subprocess.Popen(["git", "cat-file", "--batch"], cwd=str(self.repo), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=self._err, env=_env())
        except FileNotFoundError as exc:
            if not Path(self.repo).exists():
                raise GitError(N_("no such folder: {cwd}"), {"cwd": self.repo}) from None
            raise GitError(N_("the git command was not found; install git.")) from exc
        except OSError as exc:
            raise GitError(N_("cannot run git: {exc}"), {"exc": exc}) from None

    def _failed(self) -> GitError:
        err = ""
        if self._err is not None:
            self._err.seek(0)
            err = self._err.read().decode("utf-8", "replace").strip()
        self.close()
        shown = "git cat-file --batch"
        return GitError(N_("git command failed ({shown}): {err}"), {"shown": shown, "err": err or "no answer"})

    def read(self, oid: str, max_bytes: int | None = None) -> bytes | int | None:
        """The bytes of blob ``oid`` (a full object id); its size in bytes (an ``int``, nothing kept) when
        it is larger than ``max_bytes``; None when git has no such object or it is not a blob."""
        return self.read_many([oid], max_bytes)[oid]

    def read_many(self, oids: list[str], max_bytes: int | None = None) -> dict[str, bytes | int | None]:
        """:meth:`read` of each of ``oids``, by id: the requests go to git together (a few hundred at a time, so
        neither pipe fills while the other waits), and the answers are read in order."""
        wanted = _object_ids(oids)
        out: dict[str, bytes | int | None] = {}
        for i in range(0, len(wanted), _BATCH_REQUESTS):
            chunk = wanted[i : i + _BATCH_REQUESTS]
            self._request(chunk)
            for oid in chunk:
                out[oid] = self._answer(max_bytes)
        return out

    def _request(self, oids: list[str]) -> None:
        if self._proc is None:
            self._proc = self._start()
        assert self._proc.stdin is not None, "started with pipes"
        try:
            self._proc.stdin.write("".join(f"{oid}\n" for oid in oids).encode("ascii"))
            self._proc.stdin.flush()
        except OSError:
            raise self._failed() from None

    def _answer(self, max_bytes: int | None) -> bytes | int | None:
        assert self._proc is not None and self._proc.stdout is not None, "asked first"
        stdout = self._proc.stdout
        try:
            header = stdout.readline()
        except OSError:
            raise self._failed() from None
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():
            if len(parts) == 2 and parts[1] == b"missing":
                return None
            raise self._failed()
        size = int(parts[2])
        if parts[1] != b"blob" or (max_bytes is not None and size > max_bytes):
            left = size + 1  # the content and the newline after it, skipped a chunk at a time
            while left:
                chunk = stdout.read(min(left, 1 << 20))
                if not chunk:
                    raise self._failed()
                left -= len(chunk)
            return size if parts[1] == b"blob" else None
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            raise self._failed()
        return data[:size]

    def close(self) -> None:
        """Stop the git process (if started); a later :meth:`read` starts a new one."""
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(OSError):
                assert proc.stdin is not None
                proc.stdin.close()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        if self._err is not None:
            self._err.close()
            self._err = None


def tree_listings(trees: list[str], rel: str, repo: Path) -> Iterator[dict[str, str]]:
    """For each tree id of ``trees`` (root trees, e.g. ``git log --format=%T``), in order, the files under
    ``rel`` (repository-relative, ``""`` for all): name → blob id, as :func:`ls_tree` lists them at that tree.

    One ``git diff-tree --stdin`` process compares each tree with the one before it (the first with the
    empty tree), so the work and the output are those of the changes, not of every file at every tree;
    a listing is built from the one before it. Submodules are left out. Raises :class:`GitError` if git fails.
    """
    if not trees:
        return
    _object_ids(trees)
    # the empty tree's id (SHA-1 or SHA-256 repository), hashed from no input (never the terminal's)
    empty = run_git(["hash-object", "-t", "tree", "--stdin"], repo, input=b"").stdout.decode("ascii").strip()
    pairs = list(zip([empty, *trees[:-1]], trees, strict=True))
    args = ["--literal-pathspecs", "diff-tree", "--stdin", "-r", "-z", "--no-renames"] + (["--", rel] if rel else [])
    out = run_git(args, repo, input="".join(f"{a} {b}\n" for a, b in pairs).encode("ascii")).stdout
    changes: list[list[tuple[str, str | None]]] = [[] for _ in pairs]
    at, pos = -1, 0
    while pos < len(out):
        if out[pos] == ord(":"):  # ":oldmode newmode oldid newid status" NUL name NUL
            meta_end = out.index(b"\0", pos)
            name_end = out.index(b"\0", meta_end + 1)
            meta = out[pos + 1 : meta_end].decode("ascii").split()
            name = out[meta_end + 1 : name_end].decode("utf-8", "surrogateescape")
            pos = name_end + 1
            blob = meta[1] not in ("000000", "160000")  # deleted, or a submodule (not a file)
            changes[at].append((name, meta[3] if blob else None))
        else:  # a pair's header line, "old new": the changes that follow belong to it
            nl = out.index(b"\n", pos)
            header = out[pos:nl].decode("ascii")
            pos = nl + 1
            at += 1
            while at < len(pairs) and header != f"{pairs[at][0]} {pairs[at][1]}":
                at += 1  # a pair without changes may have no header
            if at == len(pairs):
                raise GitError(N_("git command failed ({shown}): {err}"), {"shown": "git diff-tree --stdin", "err": header})
    listing: dict[str, str] = {}
    for changed in changes:
        for name, oid in changed:
            if oid is None:
                listing.pop(name, None)
            else:
                listing[name] = oid
        yield dict(listing)


def changed_paths(commit: str, repo: Path, rels: list[str] | None = None) -> list[str]:
    """Repository-relative paths that differ between ``commit`` and the working tree, plus untracked files.

    ``rels``: restrict to these repository-relative paths. Deleted files are included.
    """
    scope = ["--", *rels] if rels else []
    diff = run_git(["diff", "--name-only", "-z", "--no-renames", commit, *scope], repo).stdout
    untracked = run_git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", *scope], repo).stdout
    names = (diff + b"\0" + untracked).decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def changed_files(rev: str, paths: list[Path]) -> set[Path]:
    """Plan files (resolved paths) under ``paths`` that changed since ``rev`` and still exist.

    A plan file is a ``plan.yaml`` or a YAML file under a plan's ``actions/``.
    Compared against the working tree, untracked files included. When a plan's
    ``plan.yaml`` changed, every action file of that plan is included too, since
    a change to the plan (status words, departments, categories) can make its
    actions wrong. Raises :class:`GitError` when ``paths`` are not in a git
    repository or ``rev`` is not available (the message says what to fetch).
    """
    paths = [Path(p) for p in paths] or [Path(".")]
    anchor = next((p for p in paths if p.exists()), Path("."))
    repo = repo_root(anchor)
    commit = resolve(rev, repo)
    rels = []
    for p in paths:
        try:
            rel = p.resolve().relative_to(repo).as_posix()
        except ValueError:
            raise GitError(N_("{p} is outside the repository {repo}."), {"p": p, "repo": repo}) from None
        rels.append(rel if rel != "." else "")
    scope = [r for r in rels if r] if all(rels) else None
    result: set[Path] = set()
    for name in changed_paths(commit, repo, scope):
        path = (repo / name).resolve()
        if not planfiles.is_yaml(path) or not path.is_file():
            continue
        root = planfiles.plan_root_of(path)
        if root is None:
            continue
        if path == root / planfiles.PLAN_FILE:
            result.add(path)
            result.update(a.resolve() for a in planfiles.action_files(root))
        elif path.parent == root / planfiles.ACTIONS_DIR:
            result.add(path)
    return result


# --------------------------------------------------------------------------- sides of a comparison


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a revision (``commit`` set, ``short`` its abbreviation) or the working tree (``commit`` None).

    ``label`` is how the user named it (``HEAD~1``, ``merge-base(main, HEAD)``), ``worktree`` for the working tree.
    """

    label: str
    commit: str | None = None
    short: str | None = None


WORKTREE = Side("worktree")
"""The working tree as a side."""


def revision_side(rev: str, repo: Path, *, maybe_path: bool = False) -> Side:
    """The side ``rev`` names in ``repo``, resolved to a commit.

    Raises :class:`GitError` as :func:`resolve` does; ``maybe_path``: the argument
    could have been meant as a path, so a failure also says that no such path exists.
    """
    try:
        commit = resolve(rev, repo)
    except GitError as exc:
        if maybe_path and ("/" in rev or planfiles.is_yaml(rev)):
            raise GitError(N_("{message} (if it is a path: {rev} does not exist)"), {"message": exc.message, "rev": rev}) from None
        raise
    return Side(rev, commit, short(commit, repo))


def default_base_side(repo: Path) -> Side:
    """The default base as a side: the merge-base of the default branch and HEAD (see :func:`default_base`)."""
    label, commit = default_base(repo)
    return Side(label, commit, short(commit, repo))


# --------------------------------------------------------------------------- a folder's history in one call


def in_work_tree(path: Path | str) -> bool:
    """Whether ``path`` (a folder) or a folder above it holds a ``.git`` entry (a repository's folder, or the file of
    a linked worktree or submodule): the cheap test, without running git, that lets a caller skip git altogether for
    folders outside any repository. True does not promise that git can read it (:func:`repo_root` says so)."""
    p = Path(path).resolve()
    return any((d / ".git").exists() for d in (p, *p.parents))


def folder_history(folder: Path) -> list[tuple[str, dict[str, str | None]]]:
    """Every commit on the first-parent line of ``HEAD`` that changed something under ``folder``, oldest first, each with
    the files it changed there: name relative to ``folder`` (posix) → the new blob id, None where the commit deleted it.

    One ``git log --first-parent --raw -z`` call (a merge is compared with its first parent), run in ``folder``,
    so the commits form one line and a file's content at a commit is its blob in the last change at or before it.
    Empty when ``folder`` has no commit yet. Raises :class:`GitError` when git fails (not a repository, no ``HEAD``).
    """
    args = ["log", "-z", "--first-parent", "--diff-merges=first-parent", "--no-renames", "--raw", "--no-abbrev", "--relative",
            "--format=%x1e%H", "--", "."]
    out = run_git(args, folder).stdout.decode("utf-8", "surrogateescape")
    history: list[tuple[str, dict[str, str | None]]] = []
    for record in out.split("\x1e")[1:]:
        head, _, rest = record.partition("\0")
        fields = rest.lstrip("\n").split("\0")
        changed: dict[str, str | None] = {}
        for meta, name in zip(fields[::2], fields[1::2], strict=False):
            parts = meta.lstrip(":").split()
            if len(parts) == 5 and parts[0][:2] != "16" and parts[1][:2] != "16":  # 160000: a gitlink, not a file
                changed[name] = None if parts[4] == "D" else parts[3]
        history.append((head.strip(), changed))
    history.reverse()
    return history
