"""A file (or plan folder) over one of dxplan's limits: file size, line length, nesting depth, nodes reached through aliases, digits of a number, number of action files.

Why: The limits keep one hostile or broken file (a "billion laughs" alias bomb, a 100 MB file,
a nesting thousands deep) from hanging or exhausting the machine that checks it, e.g. a CI runner.
The file is not read. The limits are set by environment variables (README, "Limits"), never by a plan.

Fix: Split or shorten the file; if the plan really needs more, raise the limit named in the message.

Passing::

    id: '1'
    title: 例
    category: A-1
    owners: [総務課]
    sources: [{file: seed.txt, location: line 1}]

Failing: a line of 20,000 characters, or ``a: &a [x, x, x]`` followed by nine levels of aliases to
the level before.
"""

from dxplan.i18n import N_

ID = "limit-exceeded"
SEVERITY = "error"
MESSAGE = N_(
    "{what} is over dxplan's limit of {limit} ({variable}); the file is not read."
)
