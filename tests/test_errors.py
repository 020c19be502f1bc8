"""The one error a person reads (dxplan.i18n.UserError): worded in ja and en, with and without a file
position; each kind of it printed by the CLI's one handler exactly as before, with its exit code; and
no other exception class in dxplan carrying a message for a person."""

from __future__ import annotations

import ast
import builtins
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dxplan.cli import app
from dxplan.files.gitio import GitError, resolve
from dxplan.i18n import N_, Text, UserError
from dxplan.problems import EXIT_PROBLEMS, EXIT_USAGE

from conftest import FIXTURES, PLANS, git

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "dxplan"

runner = CliRunner()


def run(*args: object, lang: str = "ja"):
    """``dxplan *args --lang lang`` in this process (DXPLAN_LANG says the other language: ``--lang`` wins)."""
    other = "en" if lang == "ja" else "ja"
    return runner.invoke(app, [*(str(a) for a in args), "--lang", lang], env={"DXPLAN_LANG": other, "GITHUB_ACTIONS": ""})


def said(result) -> str:
    """What a command printed on stderr, asserting it printed nothing on stdout and raised nothing."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stdout == ""
    return result.stderr


# --------------------------------------------------------------------------- the one type


def test_user_error_is_worded_in_japanese_and_english():
    exc = UserError(N_("{path}: no such file or folder"), {"path": "nosuch"})
    assert exc.message("ja") == "nosuch: ファイルまたはフォルダがありません"
    assert exc.message("en") == "nosuch: no such file or folder"
    assert str(exc) == "nosuch: no such file or folder"  # logs and tracebacks: English
    assert exc.exit_code == EXIT_USAGE


def test_user_error_with_a_position_puts_it_first():
    where = Path("plans/kama/actions/07.yaml")
    exc = UserError(N_("not UTF-8"), path=where, line=3, column=5)
    assert exc.message("ja") == "plans/kama/actions/07.yaml:3:5: UTF-8 ではありません"
    assert exc.message("en") == "plans/kama/actions/07.yaml:3:5: not UTF-8"
    assert UserError(N_("not UTF-8"), path=where, line=3).message("en") == "plans/kama/actions/07.yaml:3: not UTF-8"
    assert UserError(N_("not UTF-8"), path=where).message("ja") == "plans/kama/actions/07.yaml: UTF-8 ではありません"
    assert UserError(N_("not UTF-8")).message("en") == "not UTF-8"


def test_user_error_parameters_are_worded_in_the_same_language():
    hint = Text(" Did you mean '{word}'?", word="総務課")
    exc = UserError(N_("no department '{name}' in {plan}.{hint}"), {"name": "総務か", "plan": "kama", "hint": hint})
    assert exc.message("ja") == "kama に担当課「総務か」はありません。もしかして「総務課」？"
    assert exc.message("en") == "no department '総務か' in kama. Did you mean '総務課'?"
    inner = UserError(N_("not a revision: {rev!r}"), {"rev": "-x"})
    outer = GitError(N_("{message} (if it is a path: {rev} does not exist)"), {"message": inner.message, "rev": "-x"})
    assert outer.message("en") == "not a revision: '-x' (if it is a path: -x does not exist)"


def test_user_error_crosses_process_boundaries_unchanged():
    exc = GitError(N_("revision {rev} is not available in this repository; {hint}"), {"rev": "v9", "hint": Text("check the name (git branch -a, git log --oneline)")}, path="x")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is GitError and back.message("ja") == exc.message("ja") and back.message("en") == exc.message("en")


def test_except_git_error_still_catches_git_errors():
    with pytest.raises(GitError) as exc:
        resolve("-x", Path("."))
    assert isinstance(exc.value, UserError) and exc.value.message("en") == "not a revision: '-x'"


# --------------------------------------------------------------------------- each former kind, through the CLI


def test_a_fiscal_year_that_is_not_one():
    r = run("status", PLANS / "kama", "--year", "R99x")
    assert (r.exit_code, said(r)) == (2, "dxplan: 年度ではありません: 'R99x'（2024、R6、令和6年度 のいずれかで書いてください）\n")
    r = run("history", PLANS / "kama", "--year", "R99x", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: not a fiscal year: 'R99x' (use 2024, R6 or 令和6年度)\n")


def test_a_year_outside_the_plan_comes_back_from_a_worker_process():
    r = run("status", PLANS / "kama", "--year", "2040", "-j", "2")
    assert (r.exit_code, said(r)) == (2, "dxplan: 2040: 計画 kama の期間（2024–2026）の外です\n")
    r = run("export", PLANS / "kama", "-f", "csv", "--year", "2040", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: 2040: outside the plan period of kama (2024–2026)\n")


def test_a_path_that_is_not_a_plan():
    r = run("lint", "nosuch")
    assert (r.exit_code, said(r)) == (2, "dxplan: nosuch: ファイルまたはフォルダがありません\n")
    r = run("fmt", "nosuch", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: nosuch: no such file or folder\n")


def test_a_git_revision_that_does_not_exist(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "mini", repo / "mini")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "plan")
    r = run("diff", "nosuchrev", repo / "mini")
    assert (r.exit_code, said(r)) == (2, "dxplan: リビジョン nosuchrev がこのリポジトリにありません。名前を確認してください（git branch -a、git log --oneline）\n")
    r = run("status", repo / "mini", "--as-of", "nosuchrev", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: revision nosuchrev is not available in this repository; check the name (git branch -a, git log --oneline)\n")


def test_diff_arguments_out_of_order():
    r = run("diff", "a", "b", "c")
    assert (r.exit_code, said(r)) == (2, "dxplan: 版は2つまで（BASE HEAD）です。3 個指定されました: a b c\n")
    r = run("diff", PLANS / "kama", "HEAD", lang="en")
    assert (r.exit_code, said(r)) == (2, f"dxplan: the path must come last: {PLANS / 'kama'}\n")


def test_init_into_a_folder_with_files(tmp_path):
    folder = tmp_path / "exists"
    folder.mkdir()
    (folder / "plan.yaml").write_text("x: 1\n", encoding="utf-8")
    r = run("init", folder, "--no-ask")
    assert (r.exit_code, said(r)) == (2, f"dxplan: {folder} には既に plan.yaml があります。何も書き込んでいません（上書きするには --force）\n")
    r = run("init", folder, "--no-ask", lang="en")
    assert (r.exit_code, said(r)) == (2, f"dxplan: {folder} already has plan.yaml; nothing was written (--force overwrites them)\n")
    assert (folder / "plan.yaml").read_text(encoding="utf-8") == "x: 1\n"


def test_init_with_a_value_that_makes_no_plan(tmp_path):
    r = run("init", tmp_path / "new", "--no-ask", "--category", "=x")
    assert (r.exit_code, said(r)) == (2, "dxplan: 区分「=x」: ID=名称 または 名称 で書いてください\n")
    r = run("init", tmp_path / "new", "--no-ask", "--category", "=x", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: category '=x': write ID=NAME or NAME\n")
    assert not (tmp_path / "new").exists()


def test_export_for_a_department_the_plan_does_not_have():
    r = run("export", PLANS / "kama", "-f", "csv", "--department", "総務か")
    assert (r.exit_code, said(r)) == (2, "dxplan: kama に担当課「総務か」はありません。もしかして「総務課」？\n")
    r = run("export", PLANS / "kama", "-f", "csv", "--department", "zzzz", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: no department 'zzzz' in kama.\n")


def test_import_a_sheet_that_cannot_be_read(tmp_path):
    missing = tmp_path / "nosuch.csv"
    r = run("import", missing, PLANS / "kama")
    assert (r.exit_code, said(r)) == (2, f"dxplan: {missing}: ファイルがありません\n")
    garbled = tmp_path / "garbled.csv"
    garbled.write_bytes(b"\xff\xfe\x81\x00\xa0\xa0\xfd")
    r = run("import", garbled, PLANS / "kama", lang="en")
    assert (r.exit_code, said(r)) == (2, "dxplan: the CSV file is neither UTF-8 nor Shift_JIS (cp932)\n")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_import_into_files_that_change_meanwhile_writes_nothing(tmp_path, monkeypatch, lang):
    from dxplan.sheets import apply

    plan = tmp_path / "kama"
    shutil.copytree(PLANS / "kama", plan)
    sheet = tmp_path / "kama.csv"
    assert run("export", plan, "-f", "csv", "-o", sheet).exit_code == 0
    sheet.write_text(sheet.read_text(encoding="utf-8-sig").replace(",進捗中,", ",完了,", 1), encoding="utf-8-sig")
    real, changed = apply.plan_changes, []

    def plan_changes(*args, **kwargs):  # someone saves an action file between the check and the write
        changes = real(*args, **kwargs)
        changes[0].path.write_text(changes[0].old + "# edited meanwhile\n", encoding="utf-8")
        changed.append(changes[0].path)
        return changes

    monkeypatch.setattr(apply, "plan_changes", plan_changes)
    r = run("import", sheet, plan, lang=lang)
    expected = {"ja": f"dxplan: 取り込み中に {changed[0]} が変更されました。何も書き込んでいません。もう一度取り込んでください\n",
                "en": f"dxplan: {changed[0]} changed while importing; nothing was written, run the import again\n"}
    assert (r.exit_code, said(r)) == (EXIT_PROBLEMS, expected[lang])


def test_fmt_names_the_file_it_cannot_format(tmp_path):
    plan = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", plan)
    bad = plan / "actions" / "1.yaml"
    bad.write_bytes(b"id: 1\ntitle: \xff\xfe\n")
    r = run("fmt", "--check", plan)
    assert r.exit_code == EXIT_PROBLEMS
    assert r.stderr.splitlines()[0] == f"dxplan: {bad}: UTF-8 ではありません"
    r = run("fmt", "--check", plan, lang="en")
    assert r.stderr.splitlines()[0] == f"dxplan: {bad}: not UTF-8"


def test_a_template_that_fails(tmp_path):
    (tmp_path / "report.md.j2").write_text("{{ nothere.x }}\n", encoding="utf-8")
    template = tmp_path / "report.md.j2"
    r = run("report", PLANS / "kama", "--templates", tmp_path)
    assert (r.exit_code, said(r)) == (EXIT_PROBLEMS, f"dxplan: テンプレートのエラー {template}:1: 'nothere' is undefined\n")
    r = run("report", PLANS / "kama", "--templates", tmp_path, lang="en")
    assert (r.exit_code, said(r)) == (EXIT_PROBLEMS, f"dxplan: template error {template}:1: 'nothere' is undefined\n")


#: ``dxplan`` in a fresh interpreter where ``import weasyprint`` fails as it does when dxplan is installed
#: without its pdf extra (a None entry in sys.modules makes the import raise ImportError).
WITHOUT_PDF_EXTRA = "import sys; sys.modules['weasyprint'] = None; from dxplan.cli import main; main()"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_pdf_without_the_pdf_extra_says_how_to_install_it(tmp_path, lang):
    out = tmp_path / "r.pdf"
    env = {**os.environ, "DXPLAN_LANG": lang, "GITHUB_ACTIONS": ""}
    proc = subprocess.run([sys.executable, "-c", WITHOUT_PDF_EXTRA, "report", str(PLANS / "kama"), "-f", "pdf", "-o", str(out)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert (proc.returncode, proc.stdout) == (EXIT_PROBLEMS, "")
    if lang == "ja":
        assert proc.stderr == ("dxplan: PDF の出力には dxplan の pdf 追加機能（WeasyPrint）が必要ですが、インストールされていません: dxplan を dxplan[pdf] としてインストールするか、"
                               "dxplan の環境で python -m pip install 'weasyprint>=61,<71' を実行して追加してください（pipx でインストールした場合は "
                               "pipx inject dxplan 'weasyprint>=61,<71'）。HTML と Markdown には追加は要りません\n")
    else:
        assert proc.stderr == ("dxplan: PDF output needs dxplan's pdf extra (WeasyPrint), which is not installed: install dxplan as dxplan[pdf], "
                               "or add it with python -m pip install 'weasyprint>=61,<71' in dxplan's environment "
                               "(pipx inject dxplan 'weasyprint>=61,<71' when pipx installed dxplan); HTML and Markdown need nothing more\n")
    assert not out.exists()
    # the rest of dxplan works without the extra: the HTML report of the same plan
    proc = subprocess.run([sys.executable, "-c", WITHOUT_PDF_EXTRA, "report", str(PLANS / "kama"), "-f", "html", "-o", str(tmp_path / "r.html")],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "<title>嘉麻市 第1次嘉麻市デジタル推進計画" in (tmp_path / "r.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- no other error carries a message

#: Exceptions that never reach a person, so carry no message for one (module, class).
INTERNAL = {
    # the YAML reader's refusal: a lint rule id and its parameters, which the loader turns into a
    # positioned problem (dxplan.problems.Problem) worded by the rule's own message
    ("yamlread", "YamlFault"),
    # a file over the size limit, returned (not raised) by the loader's readers and turned into a
    # limit-exceeded problem
    ("files.disk", "FileTooLarge"),
    # a results-cache entry that cannot be read: the entry is dropped and the plan loaded again
    ("files.result_cache", "_Corrupt"),
    # trouble with the results cache met while an answer is only tried (dxplan.cli.quick): it gives up
    # and the command's ordinary run meets the trouble and reports it
    ("files.result_cache", "Trouble"),
}

_BUILTIN_EXCEPTIONS = {name for name, value in vars(builtins).items() if isinstance(value, type) and issubclass(value, BaseException)}


def _classes() -> list[tuple[str, ast.ClassDef]]:
    """(module under dxplan, class) for every class statement in the package, nested ones included."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        out += [(module, node) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.ClassDef)]
    return out


def _base_names(node: ast.ClassDef) -> set[str]:
    return {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}


def _subclasses_of(roots: set[str], classes: list[tuple[str, ast.ClassDef]]) -> set[str]:
    """Names of the classes deriving from one named in ``roots``, however indirectly (by name within the package)."""
    found = set(roots)
    while True:
        more = {node.name for _, node in classes if _base_names(node) & found} - found
        if not more:
            return found
        found |= more


def test_no_exception_but_user_error_carries_a_message_for_a_person():
    classes = _classes()
    exceptions = _subclasses_of(_BUILTIN_EXCEPTIONS, classes) - _BUILTIN_EXCEPTIONS
    user_errors = _subclasses_of({"UserError"}, classes)
    others = sorted((module, node.name) for module, node in classes if node.name in exceptions - user_errors)
    assert others == sorted(INTERNAL)
    assert [m for m, node in classes if node.name == "UserError"] == ["i18n"]  # one type, in the ground floor


def test_user_error_subclasses_add_no_wording_of_their_own():
    """A subclass names a kind a caller catches (``except GitError``) or its exit code; the wording is UserError's."""
    classes = _classes()
    subclasses = [(m, node) for m, node in classes if node.name in _subclasses_of({"UserError"}, classes) - {"UserError"}]
    assert {"GitError", "FiscalYearError", "FmtError", "ApplyError"} <= {node.name for _, node in subclasses}  # the scan finds them
    for module, node in subclasses:
        defined = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        assigned = {t.id for n in node.body if isinstance(n, (ast.Assign, ast.AnnAssign)) for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)}
        assert not defined and assigned <= {"exit_code"}, f"{module}.{node.name}"
