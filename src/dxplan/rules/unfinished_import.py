"""An import was stopped after its commit point and this run could not finish it (the folder is read-only here).

Why: ``dxplan import`` writes every file of a plan together through a journal
(``.dxplan-import.journal``); a run that finds a committed journal renames the new files into
place. When the folder cannot be written by this user (a read-only mount, another user's
files), the renames wait, and dxplan reads the new files from where the import staged them, so
the plan is shown as the import left it. Until a run with write permission finishes the
import, the files on disk are half old and half new for any other program (an editor, git).

Fix: Run any dxplan command that loads the plan (``dxplan lint PLAN``) as a user who may write
the plan folder; it finishes the import and removes the journal.

Passing: a plan folder without ``.dxplan-import.journal``.

Failing: a read-only plan folder holding a journal in state ``commit`` whose staged files
are not yet renamed; the finding is at the journal, line 1.
"""

from dxplan.i18n import N_

ID = "unfinished-import"
SEVERITY = "warning"
MESSAGE = N_(
    "an interrupted import could not be finished because this folder cannot be written here; "
    "{count} file(s) are read from where the import staged them. Run dxplan once with write permission to finish it."
)
