"""Plan files on disk and in git: the folder layout, the one loader, the results cache, canonical writing.

Owns: ``layout`` (which files make a plan), ``disk`` (a plan file's bytes, a plan folder on disk), ``load``
(files → models with positions, from disk or a git revision), ``gitio`` (every git call), ``result_cache``
(what a file and a plan gave last time; ``cache_place``: where, and the fingerprint of the code), ``views``
(a plan's stored view found without loading it), ``state_cache``
(figures kept by git content: a plan state's blob ids), ``plan_key`` (a plan folder's stat signature and content key),
``plain`` (typed results as plain data and back),
``atomic`` (the one way a file is written), ``fmt`` (canonical YAML layout that keeps comments),
``parallel`` and ``pool`` (plans handled in worker processes, results in order).

May import: the ground modules, ``dxplan.model`` and ``dxplan.rules`` (the loader words its parse
faults through the rule registry).
"""
